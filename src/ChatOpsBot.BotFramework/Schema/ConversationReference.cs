using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.BotFramework.Schema;

/// <summary>
/// Enough of an activity to speak in its conversation later: persisted on install and used for proactive messages.
/// <see cref="ActivityId"/> decides between replying to that activity (a thread in a Teams channel) and posting anew.
/// </summary>
public sealed record ConversationReference
{
    public string? ActivityId { get; init; }

    public ChannelAccount? User { get; init; }

    public ChannelAccount? Bot { get; init; }

    public ConversationAccount? Conversation { get; init; }

    public string? ChannelId { get; init; }

    public string? Locale { get; init; }

    public string? ServiceUrl { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>
    /// The event activity a proactive turn starts from: <c>event</c> named <see cref="ActivityNames.ContinueConversation"/>,
    /// addressed as if the user had sent it, so a reply built from it goes from the bot to the user.
    /// </summary>
    public Activity ToContinuationActivity() =>
        new Activity { Type = ActivityTypes.Event, Name = ActivityNames.ContinueConversation }
            .ApplyConversationReference(this, isIncoming: true);
}
