using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Hosting;

/// <summary>
/// Remembers the last <see cref="Capacity"/> activity keys for <see cref="Retention"/>, per process. Bounded both
/// ways: a flood of distinct ids evicts the oldest rather than growing without limit.
/// </summary>
public sealed class InMemoryActivityDeduplicator(TimeProvider timeProvider) : IActivityDeduplicator
{
    /// <summary>Teams gives up retrying within minutes; an hour covers that with room.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    public const int Capacity = 50_000;

    /// <summary>Keys longer than this are kept as their SHA-256, so memory stays bounded per entry too.</summary>
    public const int MaxKeyLength = 512;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset ExpiresAt)> _order = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    public ValueTask<bool> TryBeginAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (KeyOf(activity) is not { } key)
        {
            return ValueTask.FromResult(true);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            while (_order.TryPeek(out (string Key, DateTimeOffset ExpiresAt) oldest)
                && (oldest.ExpiresAt <= now || _seen.Count >= Capacity))
            {
                _order.Dequeue();
                if (_seen.TryGetValue(oldest.Key, out DateTimeOffset expiresAt) && expiresAt == oldest.ExpiresAt)
                {
                    _seen.Remove(oldest.Key);
                }
            }

            if (_seen.TryGetValue(key, out DateTimeOffset existing) && existing > now)
            {
                return ValueTask.FromResult(false);
            }

            DateTimeOffset expires = now + Retention;
            _seen[key] = expires;
            _order.Enqueue((key, expires));
            return ValueTask.FromResult(true);
        }
    }

    /// <summary>The key an activity is recognised by; null when it has no id.</summary>
    public static string? KeyOf(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (string.IsNullOrEmpty(activity.Id))
        {
            return null;
        }

        string key = string.Concat(activity.ChannelId, "\n", activity.Conversation?.Id, "\n", activity.Id);
        return key.Length <= MaxKeyLength
            ? key
            : "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
