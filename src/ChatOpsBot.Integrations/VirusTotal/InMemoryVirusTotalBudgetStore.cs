namespace ChatOpsBot.Integrations.VirusTotal;

/// <summary>
/// This process's VirusTotal budget, in memory: right for one process (the CLI, a single instance). Several instances
/// sharing one API key need the host's database-backed store, or each would spend the whole quota.
/// </summary>
public sealed class InMemoryVirusTotalBudgetStore : IVirusTotalBudgetStore
{
    private readonly Lock _lock = new();
    private readonly List<(long Id, DateTimeOffset At)> _slots = [];
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private long _nextId;

    public Task<VirusTotalSlotReservation> ReserveAsync(
        DateTimeOffset now, DateTimeOffset deadline, int requestsPerMinute, int dailyLimit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Kept for a day and a minute: the daily count needs the day's slots, the minute rule the last minute's.
            _slots.RemoveAll(s => s.At < VirusTotalSlots.DayStart(now) - VirusTotalSlots.Window);
            DateTimeOffset[] recent = [.. _slots.Where(s => s.At > now - VirusTotalSlots.Window).Select(s => s.At).Order()];
            DateTimeOffset slot = VirusTotalSlots.Earliest(now, _pausedUntil, recent, requestsPerMinute);
            DateTimeOffset day = VirusTotalSlots.DayStart(slot);
            if (_slots.Count(s => s.At >= day && s.At < day.AddDays(1)) >= dailyLimit)
            {
                return Task.FromResult(VirusTotalSlotReservation.DailyLimitReached);
            }

            if (slot > deadline)
            {
                return Task.FromResult(VirusTotalSlotReservation.RateLimited);
            }

            long id = ++_nextId;
            _slots.Add((id, slot));
            return Task.FromResult(new VirusTotalSlotReservation(VirusTotalSlotOutcome.Granted, slot, id));
        }
    }

    public Task ReleaseAsync(long slotId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _slots.RemoveAll(s => s.Id == slotId);
        }

        return Task.CompletedTask;
    }

    public Task PauseUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }

        return Task.CompletedTask;
    }
}
