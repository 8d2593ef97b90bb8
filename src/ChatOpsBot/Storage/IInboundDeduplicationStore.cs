namespace ChatOpsBot.Storage;

/// <summary>
/// Remembers inbound delivery ids (Bot Framework activity ids, Slack event ids) so a retried delivery is processed
/// once, also when the retry reaches another instance.
/// </summary>
public interface IInboundDeduplicationStore
{
    /// <summary>Records <paramref name="id"/> for <paramref name="source"/>; true for the first delivery, false for a repeat.</summary>
    Task<bool> TryRecordAsync(string source, string id, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
