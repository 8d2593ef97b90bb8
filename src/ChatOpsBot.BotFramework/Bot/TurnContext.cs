using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Bot;

/// <summary>The turn context both adapters hand to the bot.</summary>
public sealed class TurnContext : ITurnContext
{
    private string? _text;
    private int _sent;

    public TurnContext(BotAdapter adapter, Activity activity)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(activity);
        Adapter = adapter;
        Activity = activity;
        ConversationReference = activity.GetConversationReference();
    }

    public BotAdapter Adapter { get; }

    public Activity Activity { get; }

    public string Text => _text ??= MentionText.RemoveRecipientMention(Activity);

    public ConversationReference ConversationReference { get; }

    public bool Responded => Volatile.Read(ref _sent) > 0;

    public InvokeResponse? InvokeResponse { get; set; }

    public async Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        Address(activity);
        ResourceResponse response = await Adapter.SendActivityAsync(this, activity, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _sent);
        return response;
    }

    public Task<ResourceResponse> SendActivityAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendActivityAsync(Activity.CreateMessageActivity(text), cancellationToken);
    }

    public Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (string.IsNullOrEmpty(activity.Id))
        {
            throw new ArgumentException("An update needs the id of the activity it replaces.", nameof(activity));
        }

        Address(activity);
        activity.ReplyToId = null;
        return Adapter.UpdateActivityAsync(this, activity, cancellationToken);
    }

    public Task DeleteActivityAsync(string activityId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        return Adapter.DeleteActivityAsync(this, activityId, cancellationToken);
    }

    public Task SendTypingAsync(CancellationToken cancellationToken = default) =>
        SendActivityAsync(Activity.CreateTypingActivity(), cancellationToken);

    private void Address(Activity outgoing)
    {
        // The conversation, channel and service URL are always this turn's: a bot cannot redirect a turn's reply
        // elsewhere by setting them (that is what CreateConversation and ContinueConversation are for).
        outgoing.Type ??= ActivityTypes.Message;
        outgoing.ChannelId = Activity.ChannelId;
        outgoing.ServiceUrl = Activity.ServiceUrl;
        outgoing.Conversation = Activity.Conversation;
        outgoing.From ??= Activity.Recipient;
        outgoing.Recipient ??= Activity.From;
        outgoing.Locale ??= Activity.Locale;
        // A reply to the turn's activity; in a proactive turn the reference's activity id, or a new post without one.
        outgoing.ReplyToId ??= Activity.Id;
    }
}
