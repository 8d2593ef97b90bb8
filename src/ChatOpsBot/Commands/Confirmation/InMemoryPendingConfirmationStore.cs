using System.Collections.Concurrent;

namespace ChatOpsBot.Commands.Confirmation;

/// <summary>
/// Pending confirmations in this process's memory: for a command layer composed without the storage layer (tests,
/// tools). A restart loses them, and another instance cannot see them; the host registers the database's store.
/// </summary>
internal sealed class InMemoryPendingConfirmationStore : IPendingConfirmationStore
{
    private readonly ConcurrentDictionary<string, PendingConfirmation> _pending = new(StringComparer.Ordinal);
    private readonly Lock _addLock = new();

    public Task<bool> TryAddAsync(PendingConfirmation action, DateTimeOffset now, int maxPending, int maxPendingPerActor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_addLock)
        {
            foreach ((string token, PendingConfirmation pending) in _pending)
            {
                if (pending.ExpiresAt <= now)
                {
                    _pending.TryRemove(token, out _);
                }
            }

            if (_pending.Count >= maxPending
                || _pending.Values.Count(p => string.Equals(p.ActorId, action.ActorId, StringComparison.OrdinalIgnoreCase)) >= maxPendingPerActor)
            {
                return Task.FromResult(false);
            }

            _pending[action.Token] = action;
            return Task.FromResult(true);
        }
    }

    public Task<PendingConfirmation?> FindAsync(string token, CancellationToken cancellationToken) =>
        Task.FromResult(_pending.GetValueOrDefault(token));

    public Task<bool> TryRemoveAsync(string token, CancellationToken cancellationToken) =>
        Task.FromResult(_pending.TryRemove(token, out _));
}
