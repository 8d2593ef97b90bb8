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
/// The VirusTotal budget: at most <c>RequestsPerMinute</c> requests in any rolling 60 seconds and <c>DailyLimit</c> per
/// UTC day, kept in <see cref="IVirusTotalBudgetStore"/> (this process's memory by default; the host's database, so
/// shared by every instance using the same key). Callers get slots in arrival order; a caller whose slot would come
/// after its deadline is told at once instead of waiting in vain. After VirusTotal answers 429, every slot moves past
/// the back-off.
/// </summary>
internal sealed class VirusTotalRateLimiter(IOptions<VirusTotalOptions> options, TimeProvider timeProvider, IVirusTotalBudgetStore budget)
{
    private readonly Lock _lock = new();
    private readonly List<Task> _parked = [];

    public VirusTotalRateLimiter(IOptions<VirusTotalOptions> options, TimeProvider timeProvider)
        : this(options, timeProvider, new InMemoryVirusTotalBudgetStore())
    {
    }

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
        DateTimeOffset now = timeProvider.GetUtcNow();
        VirusTotalSlotReservation reservation = await budget.ReserveAsync(
            now, deadline, settings.RequestsPerMinute, settings.DailyLimit, cancellationToken).ConfigureAwait(false);
        switch (reservation.Outcome)
        {
            case VirusTotalSlotOutcome.DailyLimitReached:
                return RateLimitDecision.DailyLimitReached;
            case VirusTotalSlotOutcome.RateLimited:
                return RateLimitDecision.RateLimited;
        }

        if (reservation.SlotAt > now)
        {
            // The timer starts from the same instant the slot was computed from (a delay started later would count from
            // a later "now" and fire late).
            Task wait = Task.Delay(reservation.SlotAt - now, timeProvider, cancellationToken);
            lock (_lock)
            {
                _parked.RemoveAll(t => t.IsCompleted);
                _parked.Add(wait);
            }

            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await budget.ReleaseAsync(reservation.SlotId, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }

        return RateLimitDecision.Granted;
    }

    /// <summary>VirusTotal said the quota is exceeded: no request before <paramref name="backoff"/> has passed.</summary>
    public Task PauseAsync(TimeSpan backoff, CancellationToken cancellationToken) =>
        budget.PauseUntilAsync(timeProvider.GetUtcNow() + backoff, cancellationToken);
}
