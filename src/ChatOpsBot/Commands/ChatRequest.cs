namespace ChatOpsBot.Commands;

/// <summary>Where a message was written; replies in group chats and channels are seen by everyone there.</summary>
public enum ConversationKind
{
    Personal,
    Group,
    Channel,
}

/// <summary>Who sent a message.</summary>
/// <param name="Id">
/// The stable id roles are granted to: the Entra object id (<c>aadObjectId</c>) in Teams, the user id (<c>U…</c>/<c>W…</c>)
/// in Slack. Never a display name or an id the sender can choose.
/// </param>
/// <param name="DisplayName">As the channel shows it; untrusted, for display only.</param>
public sealed record ChatActor(string Id, string? DisplayName);

/// <param name="Id">The channel's conversation id (Teams <c>conversation.id</c>, Slack channel id).</param>
public sealed record ChatConversation(string Id, ConversationKind Kind);

/// <summary>
/// A file that came with a message. Nothing is downloaded until a command opens it, so a refused or unrelated message
/// costs no download; the stream may be a network stream and is read once, with the size cap the command applies.
/// </summary>
/// <param name="Name">The file name as sent; untrusted.</param>
/// <param name="ContentType">The type the channel declared, if any; untrusted.</param>
/// <param name="Size">The size the channel declared, if any; used to refuse oversized files before downloading them.</param>
public sealed record InboundFile(string Name, string? ContentType, long? Size, Func<CancellationToken, Task<Stream>> OpenAsync);

/// <summary>
/// A button press on one of the bot's cards (Teams <c>Action.Submit</c>/<c>Action.Execute</c>, Slack block action).
/// The card's data is <c>{"verb": "&lt;command&gt;", ...}</c>: <paramref name="Verb"/> is that verb and
/// <paramref name="Args"/> the other data and input values, as strings.
/// </summary>
/// <param name="CardMessageId">The id of the message holding the card (Teams <c>replyToId</c>, Slack <c>message_ts</c>), so it can be updated.</param>
public sealed record ChatCardAction(string Verb, IReadOnlyDictionary<string, string> Args, string? CardMessageId = null);

/// <summary>
/// One inbound message or card action, translated from the chat channel. Handlers see only this.
/// </summary>
/// <param name="Channel"><see cref="ChatChannels.Teams"/> or <see cref="ChatChannels.Slack"/>.</param>
/// <param name="Text">The message text with the bot's own mention already removed; empty for a bare file or a card action.</param>
/// <param name="Files">Files attached to the message; empty when there are none.</param>
/// <param name="Action">Set for a card action (then <paramref name="Text"/> is ignored).</param>
/// <param name="CorrelationId">Ties the logs, the audit entry and any error card together; the inbound activity or event id is a good one.</param>
public sealed record ChatRequest(
    string Channel,
    ChatActor Actor,
    ChatConversation Conversation,
    string Text,
    IReadOnlyList<InboundFile> Files,
    ChatCardAction? Action,
    string CorrelationId);

public static class ChatChannels
{
    public const string Teams = "msteams";
    public const string Slack = "slack";
}
