using ChatOpsBot.Storage;

namespace ChatOpsBot.Tests.Commands.Support;

/// <summary>The audit trail in a list; tests wait on it because every dispatch ends with exactly one entry.</summary>
internal sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _gate = new();
    private readonly List<AuditEntry> _entries = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _attempts;

    /// <summary>When true, appends throw (a database that is down); attempts are still counted for waiting.</summary>
    public bool Fail { get; set; }

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        TaskCompletionSource changed;
        bool fail = Fail;
        lock (_gate)
        {
            _attempts++;
            if (!fail)
            {
                _entries.Add(entry);
            }

            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return fail ? Task.FromException(new InvalidOperationException("database is down")) : Task.CompletedTask;
    }

    public int Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts;
            }
        }
    }

    public Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>([.. _entries.AsEnumerable().Reverse().Take(count)]);
        }
    }

    /// <summary>Waits (30 s at most, as a safety net) until <paramref name="count"/> appends were attempted.</summary>
    public async Task WaitForCountAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_attempts >= count)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }
}

internal sealed class InMemoryVipStore : IVipStore
{
    private readonly Lock _gate = new();
    private readonly List<StoredVip> _vips = [];

    public Task<IReadOnlyList<StoredVip>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredVip>>([.. _vips]);
        }
    }

    public Task<bool> AddAsync(StoredVip vip, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_vips.Any(v => string.Equals(v.Email, vip.Email, StringComparison.OrdinalIgnoreCase)))
            {
                return Task.FromResult(false);
            }

            _vips.Add(vip);
            return Task.FromResult(true);
        }
    }

    public Task<bool> RemoveAsync(string email, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_vips.RemoveAll(v => string.Equals(v.Email, email, StringComparison.OrdinalIgnoreCase)) > 0);
        }
    }
}
