namespace ChatOpsBot.Storage;

/// <summary>
/// Where the bot can speak later (proactive alerts, replies after a restart). <see cref="ReferenceJson"/> is the
/// channel's own serialised conversation reference (a Bot Framework <c>ConversationReference</c>, a Slack channel);
/// the other fields are what lookups and subscriptions need.
/// </summary>
public sealed record StoredConversation(
    string ChannelId,
    string ConversationId,
    string ServiceUrl,
    string? TenantId,
    string Scope,
    string ReferenceJson,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);

public interface IConversationStore
{
    /// <summary>Inserts or refreshes a conversation; true only for the call that inserted it (so a welcome is sent once).</summary>
    Task<bool> UpsertAsync(StoredConversation conversation, CancellationToken cancellationToken);

    Task<StoredConversation?> GetAsync(string channelId, string conversationId, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredConversation>> ListAsync(CancellationToken cancellationToken);
}
