using System.Collections.Concurrent;

namespace ChatOpsBot.Integrations;

/// <summary>
/// The process-local <see cref="IReputationCache"/>: the default when no persistent store is registered, and the one
/// tests use. Entries expire at their own time; the number of entries is bounded so a flood of distinct indicators
/// cannot grow memory without limit (past <see cref="MaxEntries"/>, the soonest-to-expire go first).
/// </summary>
public sealed class InMemoryReputationCache(TimeProvider timeProvider) : IReputationCache
{
    public const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_entries.TryGetValue(key, out Entry? entry))
        {
            if (entry.ExpiresAt > timeProvider.GetUtcNow())
            {
                return Task.FromResult<string?>(entry.Value);
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        return Task.FromResult<string?>(null);
    }

    public Task SetAsync(string key, string value, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _entries[key] = new Entry(value, expiresAt);
        if (_entries.Count > MaxEntries)
        {
            Evict();
        }

        return Task.CompletedTask;
    }

    private void Evict()
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        foreach (KeyValuePair<string, Entry> expired in _entries.Where(e => e.Value.ExpiresAt <= now).ToList())
        {
            _entries.TryRemove(expired);
        }

        // Down to 90 % so a flood of new keys pays for one eviction per many inserts, not one per insert.
        int excess = _entries.Count - (MaxEntries / 10 * 9);
        if (excess > 0)
        {
            foreach (KeyValuePair<string, Entry> oldest in _entries.OrderBy(e => e.Value.ExpiresAt).Take(excess).ToList())
            {
                _entries.TryRemove(oldest);
            }
        }
    }

    private sealed record Entry(string Value, DateTimeOffset ExpiresAt);
}
