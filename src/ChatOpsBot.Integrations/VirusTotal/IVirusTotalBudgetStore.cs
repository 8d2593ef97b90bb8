namespace ChatOpsBot.Integrations.VirusTotal;

/// <summary>What a reservation got.</summary>
public enum VirusTotalSlotOutcome
{
    /// <summary>A slot at <see cref="VirusTotalSlotReservation.SlotAt"/> is taken; the caller sends its request then.</summary>
    Granted,

    /// <summary>No slot before the caller's deadline; nothing was reserved.</summary>
    RateLimited,

    /// <summary>The UTC day of the earliest free slot has had its daily limit of slots; nothing was reserved.</summary>
    DailyLimitReached,
}

/// <summary>A reservation's outcome and, when granted, the slot (its instant and the store's id for it).</summary>
public sealed record VirusTotalSlotReservation(VirusTotalSlotOutcome Outcome, DateTimeOffset SlotAt, long SlotId)
{
    public static VirusTotalSlotReservation RateLimited { get; } = new(VirusTotalSlotOutcome.RateLimited, default, 0);

    public static VirusTotalSlotReservation DailyLimitReached { get; } = new(VirusTotalSlotOutcome.DailyLimitReached, default, 0);
}

/// <summary>
/// The VirusTotal request budget: who may send a request when. The default (<see cref="InMemoryVirusTotalBudgetStore"/>)
/// is this process's; the host registers a database-backed one so every instance sharing the database shares one
/// budget (the API key's quota is per key, not per process). Implementations decide with
/// <see cref="VirusTotalSlots.Earliest"/> and must make the reservation atomic against every other caller.
/// </summary>
public interface IVirusTotalBudgetStore
{
    /// <summary>
    /// Takes the earliest slot at or after <paramref name="now"/> that keeps at most <paramref name="requestsPerMinute"/>
    /// slots in any rolling minute, is not inside a pause, and whose UTC day has had fewer than
    /// <paramref name="dailyLimit"/> slots; refuses when that slot would come after <paramref name="deadline"/>.
    /// </summary>
    Task<VirusTotalSlotReservation> ReserveAsync(
        DateTimeOffset now, DateTimeOffset deadline, int requestsPerMinute, int dailyLimit, CancellationToken cancellationToken);

    /// <summary>Gives back a granted slot whose request was never sent (its caller gave up waiting).</summary>
    Task ReleaseAsync(long slotId, CancellationToken cancellationToken);

    /// <summary>No slot before <paramref name="until"/> (VirusTotal answered 429); an earlier pause never shortens a later one.</summary>
    Task PauseUntilAsync(DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>The slot arithmetic every <see cref="IVirusTotalBudgetStore"/> shares.</summary>
public static class VirusTotalSlots
{
    /// <summary>The rolling window of the per-minute rule.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The earliest slot at or after <paramref name="now"/>, after <paramref name="pausedUntil"/>, not before the last
    /// slot taken (callers are served in arrival order), with fewer than <paramref name="requestsPerMinute"/> slots in
    /// the minute before it. <paramref name="recentSlots"/>: every slot after <c>now - Window</c>, ascending.
    /// </summary>
    public static DateTimeOffset Earliest(DateTimeOffset now, DateTimeOffset pausedUntil, IReadOnlyList<DateTimeOffset> recentSlots, int requestsPerMinute)
    {
        ArgumentNullException.ThrowIfNull(recentSlots);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerMinute, 1);
        DateTimeOffset slot = now;
        if (pausedUntil > slot)
        {
            slot = pausedUntil;
        }

        if (recentSlots.Count > 0 && recentSlots[^1] > slot)
        {
            slot = recentSlots[^1];
        }

        if (recentSlots.Count >= requestsPerMinute)
        {
            DateTimeOffset windowFree = recentSlots[recentSlots.Count - requestsPerMinute] + Window;
            if (windowFree > slot)
            {
                slot = windowFree;
            }
        }

        return slot;
    }

    /// <summary>The start of <paramref name="instant"/>'s UTC day (VirusTotal resets its daily quota at 00:00 UTC).</summary>
    public static DateTimeOffset DayStart(DateTimeOffset instant) => new(instant.UtcDateTime.Date, TimeSpan.Zero);
}
