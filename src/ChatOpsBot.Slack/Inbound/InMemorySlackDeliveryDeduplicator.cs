namespace ChatOpsBot.Slack.Inbound;

/// <summary>
/// Remembers the last <see cref="Capacity"/> delivery ids for <see cref="Retention"/>, per process; a flood of
/// distinct ids evicts the oldest rather than growing without limit.
/// </summary>
public sealed class InMemorySlackDeliveryDeduplicator(TimeProvider timeProvider) : ISlackDeliveryDeduplicator
{
    /// <summary>Slack's last retry comes about five minutes after the first attempt; an hour covers it with room.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    public const int Capacity = 50_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset ExpiresAt)> _order = new();

    public ValueTask<bool> TryBeginAsync(string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);
        DateTimeOffset now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            while (_order.TryPeek(out (string Id, DateTimeOffset ExpiresAt) oldest) && (oldest.ExpiresAt <= now || _seen.Count >= Capacity))
            {
                _order.Dequeue();
                if (_seen.TryGetValue(oldest.Id, out DateTimeOffset expiresAt) && expiresAt == oldest.ExpiresAt)
                {
                    _seen.Remove(oldest.Id);
                }
            }

            if (_seen.TryGetValue(deliveryId, out DateTimeOffset existing) && existing > now)
            {
                return ValueTask.FromResult(false);
            }

            DateTimeOffset expires = now + Retention;
            _seen[deliveryId] = expires;
            _order.Enqueue((deliveryId, expires));
            return ValueTask.FromResult(true);
        }
    }
}
