using System.Collections.Concurrent;
using ChatOpsBot.Alerts.Delivery;

namespace ChatOpsBot.Tests.Alerts.Support;

/// <summary>
/// A fake delivery channel for <c>conversation:</c> targets, for the outbox's own rules (the Teams path has
/// <see cref="FakeTeamsConnector"/>): it records every post that "arrived", can fail a number of times first, can stall
/// forever after a post arrived (a process killed mid-send), and answers reconciliation from what arrived, like a
/// channel searchable by idempotency key would.
/// One instance outlives the hosts of a test, as the remote side outlives a restart.
/// </summary>
internal sealed class FakeAlertChannel : IAlertChannel
{
    private readonly ConcurrentQueue<AlertSendResult> _failures = new();
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stallNext;

    public string Scheme => AlertTarget.ConversationScheme;

    public ConcurrentQueue<AlertMessage> Posts { get; } = new();

    public int SendCalls;

    /// <summary>When false, reconciliation answers Unknown (a channel that cannot look a post up).</summary>
    public bool CanReconcile { get; set; } = true;

    public TaskCompletionSource PostArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void FailNext(int times, AlertSendResult failure)
    {
        for (int i = 0; i < times; i++)
        {
            _failures.Enqueue(failure);
        }
    }

    /// <summary>The next send arrives and then never returns, as if the process died before recording it.</summary>
    public void StallAfterNextPost() => Interlocked.Exchange(ref _stallNext, 1);

    public async Task<AlertSendResult> SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref SendCalls);
        if (_failures.TryDequeue(out AlertSendResult? failure))
        {
            return failure;
        }

        Posts.Enqueue(message);
        PostArrived.TrySetResult();
        if (Interlocked.Exchange(ref _stallNext, 0) == 1)
        {
            await _never.Task;
        }

        return AlertSendResult.Sent("activity-" + Posts.Count);
    }

    public Task<AlertReconcileResult> ReconcileAsync(AlertDeliveryCheck check, CancellationToken cancellationToken)
    {
        if (!CanReconcile)
        {
            return Task.FromResult(AlertReconcileResult.Unknown);
        }

        bool arrived = Posts.Any(p => p.IdempotencyKey == check.IdempotencyKey);
        return Task.FromResult(arrived
            ? new AlertReconcileResult(AlertReconcileStatus.Delivered, "activity-reconciled")
            : new AlertReconcileResult(AlertReconcileStatus.NotDelivered));
    }
}
