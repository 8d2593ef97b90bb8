using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Bot;

/// <summary>
/// One turn: the activity being handled and the means to answer in its conversation (Bot Builder's
/// <c>ITurnContext</c>). Replies go to the same conversation, and so into the same Teams channel thread.
/// </summary>
public interface ITurnContext
{
    BotAdapter Adapter { get; }

    Activity Activity { get; }

    /// <summary>
    /// The activity's text with the bot's own <c>&lt;at&gt;</c> mention removed and trimmed (in channels and group chats
    /// the bot only hears messages that mention it); empty when there is no text.
    /// </summary>
    string Text { get; }

    /// <summary>Where this turn's conversation is, for answering later (proactive messages).</summary>
    ConversationReference ConversationReference { get; }

    /// <summary>True once anything was sent in this turn.</summary>
    bool Responded { get; }

    /// <summary>The answer to an <c>invoke</c> activity; ignored for other activities. Unset: 501, as the SDK answers.</summary>
    InvokeResponse? InvokeResponse { get; set; }

    /// <summary>
    /// Sends <paramref name="activity"/> to this conversation. Unset addressing (type, from, recipient, conversation,
    /// service URL, channel, reply-to id) is taken from the turn's activity.
    /// </summary>
    Task<ResourceResponse> SendActivityAsync(Activity activity, CancellationToken cancellationToken = default);

    /// <summary>Sends a plain text message to this conversation.</summary>
    Task<ResourceResponse> SendActivityAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Replaces the bot's earlier activity <see cref="Activity.Id"/> (a card, after a button was clicked).</summary>
    Task<ResourceResponse> UpdateActivityAsync(Activity activity, CancellationToken cancellationToken = default);

    /// <summary>Deletes the bot's earlier activity <paramref name="activityId"/> in this conversation.</summary>
    Task DeleteActivityAsync(string activityId, CancellationToken cancellationToken = default);

    /// <summary>Shows the typing indicator while a slower answer is prepared.</summary>
    Task SendTypingAsync(CancellationToken cancellationToken = default);
}
