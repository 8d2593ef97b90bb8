using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOpsBot.BotFramework.Schema;

/// <summary>
/// A Bot Framework activity: what a channel sends the bot and what the bot sends back. Members this library does
/// not model are kept in <see cref="Properties"/> and written back unchanged. Inbound, every field is attacker
/// controlled until the request's token has been validated, and <see cref="ServiceUrl"/> stays so until it has been
/// checked against the token's <c>serviceurl</c> claim and the trusted list.
/// </summary>
public sealed class Activity
{
    public string? Type { get; set; }

    public string? Id { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public DateTimeOffset? LocalTimestamp { get; set; }

    /// <summary>IANA time zone of the sender, e.g. <c>America/Los_Angeles</c>.</summary>
    public string? LocalTimezone { get; set; }

    public string? ServiceUrl { get; set; }

    public string? ChannelId { get; set; }

    public ChannelAccount? From { get; set; }

    public ConversationAccount? Conversation { get; set; }

    public ChannelAccount? Recipient { get; set; }

    public string? Text { get; set; }

    /// <summary>See <see cref="TextFormatTypes"/>.</summary>
    public string? TextFormat { get; set; }

    public string? Locale { get; set; }

    public IList<Attachment>? Attachments { get; set; }

    public IList<Entity>? Entities { get; set; }

    public JsonElement? ChannelData { get; set; }

    public string? ReplyToId { get; set; }

    /// <summary>Card submit data (Action.Submit) or the invoke payload.</summary>
    public JsonElement? Value { get; set; }

    /// <summary>Invoke or event name, e.g. <see cref="ActivityNames.AdaptiveCardAction"/>.</summary>
    public string? Name { get; set; }

    /// <summary>See <see cref="InstallationUpdateActions"/>.</summary>
    public string? Action { get; set; }

    public IList<ChannelAccount>? MembersAdded { get; set; }

    public IList<ChannelAccount>? MembersRemoved { get; set; }

    public IList<MessageReaction>? ReactionsAdded { get; set; }

    public IList<MessageReaction>? ReactionsRemoved { get; set; }

    /// <summary>Text for notifications where the message itself is not shown (the Teams activity feed).</summary>
    public string? Summary { get; set; }

    /// <summary>See <see cref="AttachmentLayoutTypes"/>.</summary>
    public string? AttachmentLayout { get; set; }

    /// <summary>See <see cref="InputHints"/>.</summary>
    public string? InputHint { get; set; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Properties { get; set; }

    public static Activity CreateMessageActivity(string? text = null) => new() { Type = ActivityTypes.Message, Text = text };

    public static Activity CreateTypingActivity() => new() { Type = ActivityTypes.Typing };

    /// <summary>True when <see cref="Type"/> is <paramref name="activityType"/> (activity types compare case-insensitively).</summary>
    public bool IsType(string activityType) => string.Equals(Type, activityType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A message answering this activity: from this activity's recipient to its sender, in the same conversation,
    /// replying to this activity's id.
    /// </summary>
    public Activity CreateReply(string? text = null) => new()
    {
        Type = ActivityTypes.Message,
        From = Recipient is null ? null : new ChannelAccount { Id = Recipient.Id, Name = Recipient.Name },
        Recipient = From is null ? null : new ChannelAccount { Id = From.Id, Name = From.Name },
        ReplyToId = Id,
        ServiceUrl = ServiceUrl,
        ChannelId = ChannelId,
        Conversation = Conversation is null
            ? null
            : new ConversationAccount
            {
                Id = Conversation.Id,
                Name = Conversation.Name,
                ConversationType = Conversation.ConversationType,
                TenantId = Conversation.TenantId,
                IsGroup = Conversation.IsGroup,
            },
        Text = text ?? string.Empty,
        Locale = Locale,
    };

    /// <summary>Where this activity came from, for replying later (proactive messages).</summary>
    public ConversationReference GetConversationReference() => new()
    {
        ActivityId = Id,
        User = From,
        Bot = Recipient,
        Conversation = Conversation,
        ChannelId = ChannelId,
        Locale = Locale,
        ServiceUrl = ServiceUrl,
    };

    /// <summary>
    /// Addresses this activity with <paramref name="reference"/>. Incoming: as if sent by the user to the bot, taking
    /// the reference's activity id as <see cref="Id"/>. Outgoing: from the bot to the user, replying to the reference's
    /// activity id when it has one (leave <see cref="ConversationReference.ActivityId"/> null to post rather than reply).
    /// </summary>
    public Activity ApplyConversationReference(ConversationReference reference, bool isIncoming = false)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ChannelId = reference.ChannelId;
        ServiceUrl = reference.ServiceUrl;
        Conversation = reference.Conversation;
        Locale = reference.Locale ?? Locale;
        if (isIncoming)
        {
            From = reference.User;
            Recipient = reference.Bot;
            if (reference.ActivityId is not null)
            {
                Id = reference.ActivityId;
            }
        }
        else
        {
            From = reference.Bot;
            Recipient = reference.User;
            if (reference.ActivityId is not null)
            {
                ReplyToId = reference.ActivityId;
            }
        }

        return this;
    }

    /// <summary>The mention entities of this activity; malformed ones are skipped.</summary>
    public IReadOnlyList<Mention> GetMentions()
    {
        if (Entities is null)
        {
            return [];
        }

        List<Mention> mentions = [];
        foreach (Entity entity in Entities)
        {
            if (entity?.AsMention() is { } mention)
            {
                mentions.Add(mention);
            }
        }

        return mentions;
    }

    /// <summary>
    /// <see cref="ChannelData"/> read as Teams channel data; null when absent, not a JSON object, or malformed (a
    /// malformed value is treated as absent rather than half-read).
    /// </summary>
    public TeamsChannelData? GetTeamsChannelData()
    {
        if (ChannelData is not { ValueKind: JsonValueKind.Object } channelData)
        {
            return null;
        }

        try
        {
            return channelData.Deserialize<TeamsChannelData>(BotJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The Entra tenant of the conversation: <c>conversation.tenantId</c>, else <c>channelData.tenant.id</c>.</summary>
    public string? GetTenantId()
    {
        string? fromConversation = Conversation?.TenantId;
        return !string.IsNullOrEmpty(fromConversation) ? fromConversation : GetTeamsChannelData()?.Tenant?.Id;
    }
}
