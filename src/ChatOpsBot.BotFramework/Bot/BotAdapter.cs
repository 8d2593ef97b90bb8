using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Bot;

/// <summary>
/// Carries a turn's outbound activities somewhere: the Bot Connector (<see cref="Hosting.BotFrameworkAdapter"/>) or
/// memory (<see cref="Testing.TestAdapter"/>). Bot code talks to <see cref="ITurnContext"/>, which calls these.
/// </summary>
public abstract class BotAdapter
{
    /// <summary>Sends an activity already addressed by the turn context (reply when <see cref="Activity.ReplyToId"/> is set).</summary>
    public abstract Task<ResourceResponse> SendActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken);

    public abstract Task<ResourceResponse> UpdateActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken);

    public abstract Task DeleteActivityAsync(ITurnContext turnContext, string activityId, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="callback"/> in a turn of the conversation <paramref name="reference"/> points to, outside
    /// any inbound request: for proactive messages and for work moved off the request. The turn's activity is an
    /// <c>event</c> named <c>ContinueConversation</c>; messages it sends reply to the reference's activity id when it
    /// has one, and are posted to the conversation otherwise.
    /// </summary>
    public abstract Task ContinueConversationAsync(
        ConversationReference reference,
        Func<ITurnContext, CancellationToken, Task> callback,
        CancellationToken cancellationToken);

    /// <summary>
    /// Creates a conversation (a proactive 1:1 chat, or a new thread in a Teams channel; see
    /// <see cref="ConversationParameters.ForPersonalChat"/> and <see cref="ConversationParameters.ForChannelThread"/>),
    /// then runs <paramref name="callback"/>, if any, in a turn of it. Returns the reference to store for later.
    /// </summary>
    public abstract Task<ConversationReference> CreateConversationAsync(
        string serviceUrl,
        ConversationParameters parameters,
        Func<ITurnContext, CancellationToken, Task>? callback,
        CancellationToken cancellationToken);

    /// <summary>The reference of a conversation just created from <paramref name="parameters"/>.</summary>
    protected static ConversationReference NewConversationReference(
        string channelId,
        string serviceUrl,
        ConversationParameters parameters,
        ConversationResourceResponse created)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(created);
        if (string.IsNullOrEmpty(created.Id))
        {
            throw new InvalidOperationException("The Connector created a conversation but returned no id.");
        }

        bool isChannelThread = parameters.IsGroup == true;
        string? tenantId = parameters.TenantId;
        return new ConversationReference
        {
            ChannelId = channelId,
            ServiceUrl = string.IsNullOrEmpty(created.ServiceUrl) ? serviceUrl : created.ServiceUrl,
            Bot = parameters.Bot,
            User = parameters.Members is [ChannelAccount single] ? single : null,
            Conversation = new ConversationAccount(
                created.Id,
                isChannelThread ? ConversationTypes.Channel : ConversationTypes.Personal,
                tenantId)
            {
                IsGroup = isChannelThread ? true : null,
            },
            // The thread's conversation id already names its root message; posting to it lands in the thread.
            ActivityId = null,
        };
    }
}
