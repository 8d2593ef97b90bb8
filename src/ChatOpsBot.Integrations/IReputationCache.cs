namespace ChatOpsBot.Integrations;

/// <summary>
/// Persistent cache of reputation answers (VirusTotal reports, "unknown" answers included) so the same hash or URL
/// is never looked up twice within its time to live. Values are the client's own JSON.
/// </summary>
public interface IReputationCache
{
    Task<string?> GetAsync(string key, CancellationToken cancellationToken);

    Task SetAsync(string key, string value, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
