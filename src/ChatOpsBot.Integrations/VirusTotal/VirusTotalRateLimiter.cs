using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.VirusTotal;

internal enum RateLimitDecision
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
    private readonly List<Task> _parked = [];
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <summary>
    /// Callers whose slot has not come yet (for tests that step a fake clock). A caller stops counting the moment its
    /// slot's timer fires, not when its continuation gets a thread, so "not waiting" never hides a request about to go.
    /// </summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                _parked.RemoveAll(t => t.IsCompleted);
                return _parked.Count;
            }
        }
    }

    public async Task<RateLimitDecision> AcquireAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        VirusTotalOptions settings = options.Value;
        DateTimeOffset now;
        DateTimeOffset slot;
        Task? wait = null;
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
                // The timer starts from the same instant the slot was computed from (a delay started after the lock
                // would count from a later "now" and fire late), and is parked before anyone can see the slot taken.
                wait = Task.Delay(slot - now, timeProvider, cancellationToken);
                _parked.RemoveAll(t => t.IsCompleted);
                _parked.Add(wait);
            }
        }

        if (wait is not null)
        {
            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Release(slot);
                throw;
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
