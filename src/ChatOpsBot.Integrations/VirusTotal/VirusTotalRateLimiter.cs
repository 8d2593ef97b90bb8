using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.VirusTotal;

public enum RateLimitDecision
{
    Granted,

    /// <summary>No slot before the caller's deadline; nothing was reserved.</summary>
    RateLimited,

    /// <summary>The day's budget (<c>VirusTotal:DailyLimit</c>, UTC day) is spent.</summary>
    DailyLimitReached,
}

/// <summary>
/// The process-wide VirusTotal budget: at most <c>RequestsPerMinute</c> requests in any rolling 60 seconds and
/// <c>DailyLimit</c> per UTC day. Callers get slots in arrival order; a caller whose slot would come after its deadline
/// is told at once instead of waiting in vain. After VirusTotal answers 429, every slot moves past the back-off.
/// </summary>
internal sealed class VirusTotalRateLimiter(IOptions<VirusTotalOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly List<DateTimeOffset> _slots = [];
    private DateOnly _day;
    private int _dayCount;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private int _waiting;

    /// <summary>Callers parked until their slot (for tests that step a fake clock).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public async Task<RateLimitDecision> AcquireAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        VirusTotalOptions settings = options.Value;
        DateTimeOffset now;
        DateTimeOffset slot;
        lock (_lock)
        {
            now = timeProvider.GetUtcNow();
            _slots.RemoveAll(s => s <= now - s_window);
            slot = now;
            if (_pausedUntil > slot)
            {
                slot = _pausedUntil;
            }

            if (_slots.Count > 0 && _slots[^1] > slot)
            {
                slot = _slots[^1];
            }

            if (_slots.Count >= settings.RequestsPerMinute)
            {
                DateTimeOffset windowFree = _slots[_slots.Count - settings.RequestsPerMinute] + s_window;
                if (windowFree > slot)
                {
                    slot = windowFree;
                }
            }

            var day = DateOnly.FromDateTime(slot.UtcDateTime);
            int usedToday = day == _day ? _dayCount : 0;
            if (usedToday >= settings.DailyLimit)
            {
                return RateLimitDecision.DailyLimitReached;
            }

            if (slot > deadline)
            {
                return RateLimitDecision.RateLimited;
            }

            _slots.Add(slot);
            _day = day;
            _dayCount = usedToday + 1;
            if (slot > now)
            {
                Interlocked.Increment(ref _waiting);
            }
        }

        if (slot > now)
        {
            try
            {
                await Task.Delay(slot - now, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Release(slot);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        return RateLimitDecision.Granted;
    }

    /// <summary>VirusTotal said the quota is exceeded: no request before <paramref name="backoff"/> has passed.</summary>
    public void Pause(TimeSpan backoff)
    {
        lock (_lock)
        {
            DateTimeOffset until = timeProvider.GetUtcNow() + backoff;
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    private void Release(DateTimeOffset slot)
    {
        lock (_lock)
        {
            if (_slots.Remove(slot) && DateOnly.FromDateTime(slot.UtcDateTime) == _day && _dayCount > 0)
            {
                _dayCount--;
            }
        }
    }
}
