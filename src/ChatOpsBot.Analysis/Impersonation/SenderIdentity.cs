namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>
/// Who a message says it is from: everything the VIP check looks at. The CLI builds it from the seed's email JSON;
/// a parsed message (From and Reply-To headers) or a Mimecast log record can build it the same way.
/// </summary>
/// <param name="DisplayName">The From display name as shown to the recipient; empty when there is none.</param>
/// <param name="Address">
/// The From value: a bare address (<c>jane@corp.com</c>) or a full mailbox (<c>"Jane Doe" &lt;jane@corp.com&gt;</c>,
/// whose display name is used when <paramref name="DisplayName"/> is empty). Empty when unknown.
/// </param>
/// <param name="ReplyTo">The Reply-To value (one address or a list); empty when the message has none.</param>
public sealed record SenderIdentity(string DisplayName, string Address, string ReplyTo = "");
