namespace ChatOpsBot.TestSupport;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when <see cref="Advance"/> is called; timers (and so
/// <c>Task.Delay(…, timeProvider)</c> and <c>WaitAsync(…, timeProvider)</c>) fire then, in due order. Lets tests of rate
/// limits, token expiry and cache lifetimes run without waiting and without depending on wall-clock timing.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;
    private TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers waiting to fire.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        TaskCompletionSource created;
        lock (_lock)
        {
            created = _timerCreated;
            _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        created.TrySetResult();
        return timer;
    }

    /// <summary>
    /// Completes when an armed timer is due within <paramref name="within"/> from now (say, a dispatcher's progress
    /// delay, not its much longer command timeout), so a test can advance the clock only once the code is waiting.
    /// </summary>
    public async Task WaitForTimerDueWithinAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task next;
            lock (_lock)
            {
                if (_timers.Any(t => t.DueAt is { } at && at <= _now + within))
                {
                    return;
                }

                next = _timerCreated.Task;
            }

            await next.WaitAsync(timeout.Token);
        }
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way (each at its own time).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueAt is not null && t.DueAt <= target).OrderBy(t => t.DueAt).FirstOrDefault();
                if (next is null)
                {
                    _now = target;
                    return;
                }

                if (next.DueAt > _now)
                {
                    _now = next.DueAt!.Value;
                }

                next.DueAt = next.Period is TimeSpan period && period > TimeSpan.Zero ? _now + period : null;
            }

            next.Fire();
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        bool fireNow = false;
        lock (_lock)
        {
            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }

            timer.Period = period == Timeout.InfiniteTimeSpan ? null : period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                timer.DueAt = null;
            }
            else if (dueTime <= TimeSpan.Zero)
            {
                timer.DueAt = timer.Period is TimeSpan p && p > TimeSpan.Zero ? _now + p : null;
                fireNow = true;
            }
            else
            {
                timer.DueAt = _now + dueTime;
            }
        }

        if (fireNow)
        {
            ThreadPool.QueueUserWorkItem(_ => timer.Fire());
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }

            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire()
        {
            if (!_disposed)
            {
                callback(state);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
