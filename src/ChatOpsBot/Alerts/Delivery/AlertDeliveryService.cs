using ChatOpsBot.Alerts.Cards;
using ChatOpsBot.Alerts.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Alerts.Delivery;

/// <summary>What one outbox run did. <see cref="Refreshed"/>: posted messages updated to show their alert's new state.</summary>
public sealed record DeliveryRunResult(int Sent, int Retrying, int Failed, int Expired, int Unknown, int Reconciled, int Refreshed = 0);

/// <summary>
/// The outbox pump. Alerts are stored with one <c>alert_deliveries</c> row per target before anything is sent; this
/// sends the due rows.
/// <para>
/// What "exactly once" means here: for every row, the claim ("sending", with a lease) is committed before the channel
/// is called and the outcome after it. A failure the channel classifies as "certainly not delivered" is retried with
/// exponential backoff until <see cref="AlertsOptions.DeliveryDeadline"/>; a success is recorded and never sent again.
/// The one window no database can close is a process dying during the call itself: the row is then still "sending" when
/// its lease runs out, and is reconciled instead of re-sent: the channel is asked whether it arrived (it can look for
/// the delivery's idempotency key); if it cannot tell, the row becomes "unknown" and is shown in <c>monitor status</c>.
/// So a target never gets a second post of an alert from this outbox (at most once), and gets exactly one unless a
/// process died mid-send and the channel cannot tell.
/// </para>
/// </summary>
internal sealed partial class AlertDeliveryService(
    AlertDatabase database,
    IEnumerable<IAlertChannel> channels,
    IOptions<AlertsOptions> options,
    TimeProvider timeProvider,
    ILogger<AlertDeliveryService> logger)
{
    private readonly AlertsOptions _options = options.Value;
    private readonly Dictionary<string, IAlertChannel> _channels = channels
        .GroupBy(c => c.Scheme, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    /// <summary>This process's claim owner: a restarted process never mistakes an old claim for its own.</summary>
    public string InstanceId { get; } = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    public async Task<DeliveryRunResult> DeliverDueAsync(CancellationToken cancellationToken)
    {
        int reconciled = await ReconcileAbandonedAsync(cancellationToken).ConfigureAwait(false);
        int sent = 0, retrying = 0, failed = 0, expired = 0, unknown = 0;
        List<AlertDelivery> due = await database.ReadAsync(
            c => AlertStore.DeliveriesAsync(c, null, DeliveryStatuses.Pending, timeProvider.GetUtcNow(), _options.DeliveryBatchSize, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        foreach (AlertDelivery delivery in due)
        {
            string? status = await DeliverAsync(delivery, cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case DeliveryStatuses.Sent: sent++; break;
                case DeliveryStatuses.Pending: retrying++; break;
                case DeliveryStatuses.Failed: failed++; break;
                case DeliveryStatuses.Expired: expired++; break;
                case DeliveryStatuses.OutcomeUnknown: unknown++; break;
                default: break;
            }
        }

        int refreshed = await RefreshStaleMessagesAsync(cancellationToken).ConfigureAwait(false);
        return new DeliveryRunResult(sent, retrying, failed, expired, unknown, reconciled, refreshed);
    }

    /// <summary>
    /// Brings posted messages up to date with their alert: a burst that grew after the card was posted, an
    /// acknowledgement or snooze made from another conversation or by a typed command, a snooze that ended. Only an update of the message the
    /// send returned (never a new post), so nothing is posted twice; a failed update is retried on later runs for up to
    /// <see cref="AlertsOptions.DeliveryDeadline"/> after the change, and one that never can succeed (message gone,
    /// channel cannot edit) is given up at once with a log line.
    /// </summary>
    private async Task<int> RefreshStaleMessagesAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        List<AlertDelivery> stale = await database.ReadAsync(
            c => AlertStore.StaleMessagesAsync(c, now, _options.DeliveryBatchSize, cancellationToken), cancellationToken).ConfigureAwait(false);
        int refreshed = 0;
        foreach (AlertDelivery delivery in stale)
        {
            AlertRecord? alert = await database.ReadAsync(c => AlertStore.GetAsync(c, null, delivery.AlertId, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (alert is null || delivery.RemoteMessageId is not { Length: > 0 } remoteId)
            {
                continue;
            }

            // Mail cannot be edited once sent: such a row is only marked, so it is not looked at again for this version.
            if (AlertTarget.TryParse(delivery.Target, out AlertTarget? target, out _)
                && _channels.TryGetValue(target.Scheme, out IAlertChannel? channel)
                && channel is IAlertMessageUpdater updater)
            {
                AlertSendResult result;
                var message = new AlertMessage(alert, target, IdempotencyKeys.For(alert.AlertId, delivery.Target), AlertCard.Build(alert, now), delivery.Attempts);
                try
                {
                    result = await updater.UpdateAsync(message, remoteId, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // An update is repeatable: whatever failed, a later run tries again.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    result = AlertSendResult.Unknown($"the {target.Scheme} channel failed unexpectedly ({exception.GetType().Name})");
                }

                if (result.Status == AlertSendStatus.Sent)
                {
                    refreshed++;
                }
                else if (result.Status == AlertSendStatus.PermanentFailure || alert.ShownVersionAt(now) + _options.DeliveryDeadline <= now)
                {
                    // A change not shown within Alerts:DeliveryDeadline is given up, like a send would be.
                    LogRefreshAbandoned(alert.AlertId, target.Scheme, result.Error ?? "");
                }
                else
                {
                    LogRefreshFailed(alert.AlertId, target.Scheme, result.Error ?? "");
                    continue;
                }
            }

            // The version rendered, not "now": a change made while the update was on its way stays stale and is shown
            // by the next run.
            await database.RunAsync(c => AlertStore.MarkMessageShowsAsync(c, delivery, alert.ShownVersionAt(now), CancellationToken.None), CancellationToken.None)
                .ConfigureAwait(false);
        }

        return refreshed;
    }

    /// <summary>Claims, sends and records one delivery; the status it ended in, or null when another run had it.</summary>
    private async Task<string?> DeliverAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        bool claimed = await database.ReadAsync(
            c => AlertStore.ClaimAsync(c, delivery, InstanceId, now, now + _options.DeliveryLease, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!claimed)
        {
            return null;
        }

        if (delivery.CreatedAt + _options.DeliveryDeadline <= now)
        {
            return await CompleteAsync(delivery, DeliveryStatuses.Expired, null, null, LastErrorOr(delivery, "not delivered before Alerts:DeliveryDeadline")).ConfigureAwait(false);
        }

        AlertRecord? alert = await database.ReadAsync(c => AlertStore.GetAsync(c, null, delivery.AlertId, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (alert is null || !AlertTarget.TryParse(delivery.Target, out AlertTarget? target, out _))
        {
            return await CompleteAsync(delivery, DeliveryStatuses.Failed, null, null, "the alert or its target is no longer valid").ConfigureAwait(false);
        }

        if (!_channels.TryGetValue(target.Scheme, out IAlertChannel? channel))
        {
            return await CompleteAsync(delivery, DeliveryStatuses.Failed, null, null, $"no channel delivers '{target.Scheme}' targets in this build").ConfigureAwait(false);
        }

        var message = new AlertMessage(alert, target, IdempotencyKeys.For(alert.AlertId, delivery.Target), AlertCard.Build(alert, now), delivery.Attempts + 1);
        AlertSendResult result;
        try
        {
            result = await channel.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-send: leave the row "sending"; after its lease it is reconciled, not blindly re-sent.
            throw;
        }
#pragma warning disable CA1031 // A channel bug must not stop the outbox; its outcome is unknown, so it is not retried.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            result = AlertSendResult.Unknown($"the {target.Scheme} channel failed unexpectedly ({exception.GetType().Name})");
        }

        DateTimeOffset after = timeProvider.GetUtcNow();
        switch (result.Status)
        {
            case AlertSendStatus.Sent:
                LogSent(alert.AlertId, target.Scheme, message.Attempt);
                return await CompleteAsync(delivery, DeliveryStatuses.Sent, null, result.RemoteMessageId, null, shows: alert.ShownVersionAt(now)).ConfigureAwait(false);
            case AlertSendStatus.RetryableFailure when after < delivery.CreatedAt + _options.DeliveryDeadline:
                DateTimeOffset next = after + Backoff(message.Attempt, result.RetryAfter);
                LogRetry(alert.AlertId, target.Scheme, message.Attempt, result.Error ?? "", next);
                return await CompleteAsync(delivery, DeliveryStatuses.Pending, next, null, result.Error).ConfigureAwait(false);
            case AlertSendStatus.RetryableFailure:
                return await CompleteAsync(delivery, DeliveryStatuses.Expired, null, null, result.Error).ConfigureAwait(false);
            case AlertSendStatus.PermanentFailure:
                LogFailed(alert.AlertId, target.Scheme, result.Error ?? "");
                return await CompleteAsync(delivery, DeliveryStatuses.Failed, null, null, result.Error).ConfigureAwait(false);
            default:
                LogUnknown(alert.AlertId, target.Scheme, result.Error ?? "");
                return await CompleteAsync(delivery, DeliveryStatuses.OutcomeUnknown, null, null, result.Error).ConfigureAwait(false);
        }
    }

    /// <summary>Rows left "sending" by a process that died: ask the channel whether they arrived.</summary>
    private async Task<int> ReconcileAbandonedAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        List<AlertDelivery> abandoned = await database.ReadAsync(
            c => AlertStore.DeliveriesAsync(c, null, DeliveryStatuses.Sending, now, _options.DeliveryBatchSize, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        int reconciled = 0;
        foreach (AlertDelivery delivery in abandoned)
        {
            bool claimed = await database.ReadAsync(
                c => AlertStore.ClaimAbandonedAsync(c, delivery, InstanceId, now, now + _options.DeliveryLease, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (!claimed)
            {
                continue;
            }

            AlertReconcileResult answer = AlertReconcileResult.Unknown;
            if (AlertTarget.TryParse(delivery.Target, out AlertTarget? target, out _) && _channels.TryGetValue(target.Scheme, out IAlertChannel? channel))
            {
                try
                {
                    answer = await channel.ReconcileAsync(
                        new AlertDeliveryCheck(delivery.AlertId, target, IdempotencyKeys.For(delivery.AlertId, delivery.Target), delivery.SendStartedAt),
                        cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // A failed check is an unknown answer.
                catch (Exception)
#pragma warning restore CA1031
                {
                    answer = AlertReconcileResult.Unknown;
                }
            }

            string status = answer.Status switch
            {
                AlertReconcileStatus.Delivered => DeliveryStatuses.Sent,
                AlertReconcileStatus.NotDelivered => DeliveryStatuses.Pending,
                _ => DeliveryStatuses.OutcomeUnknown,
            };
            string? error = answer.Status switch
            {
                AlertReconcileStatus.Delivered => null,
                AlertReconcileStatus.NotDelivered => "a send was interrupted; the channel confirmed it did not arrive",
                _ => "a send was interrupted (process stopped mid-send) and the channel cannot tell whether it arrived; not sent again",
            };
            await CompleteAsync(delivery, status, status == DeliveryStatuses.Pending ? now : null, answer.RemoteMessageId, error).ConfigureAwait(false);
            LogReconciled(delivery.AlertId, status);
            reconciled++;
        }

        return reconciled;
    }

    /// <summary>
    /// Exponential backoff from <see cref="AlertsOptions.RetryBaseDelay"/>. A target's <c>Retry-After</c> is a floor,
    /// itself capped at <see cref="AlertsOptions.RetryMaxDelay"/> so a broken or hostile answer cannot park a delivery
    /// past its deadline (a too-early attempt is merely throttled again).
    /// </summary>
    internal TimeSpan Backoff(int attempt, TimeSpan? retryAfter = null)
    {
        double factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        double milliseconds = Math.Min(_options.RetryBaseDelay.TotalMilliseconds * factor, _options.RetryMaxDelay.TotalMilliseconds);
        if (retryAfter is { } wait && wait.TotalMilliseconds > milliseconds)
        {
            milliseconds = Math.Min(wait.TotalMilliseconds, _options.RetryMaxDelay.TotalMilliseconds);
        }

        return TimeSpan.FromMilliseconds(milliseconds);
    }

    private async Task<string> CompleteAsync(AlertDelivery delivery, string status, DateTimeOffset? next, string? remoteId, string? error, DateTimeOffset? shows = null)
    {
        // Recording the outcome must not be skipped because the caller is being cancelled: that would turn a known
        // outcome into an unknown one.
        await database.ReadAsync(
            c => AlertStore.CompleteAsync(c, delivery, InstanceId, status, next, remoteId, error, timeProvider.GetUtcNow(), CancellationToken.None, shows),
            CancellationToken.None).ConfigureAwait(false);
        return status;
    }

    private static string LastErrorOr(AlertDelivery delivery, string fallback) => delivery.LastError is { Length: > 0 } last ? fallback + "; last error: " + last : fallback;

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} delivered to a {Scheme} target (attempt {Attempt})")]
    private partial void LogSent(string alertId, string scheme, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} to a {Scheme} target failed (attempt {Attempt}): {Error}; next attempt at {Next:O}")]
    private partial void LogRetry(string alertId, string scheme, int attempt, string error, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} cannot be delivered to a {Scheme} target: {Error}")]
    private partial void LogFailed(string alertId, string scheme, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {AlertId} to a {Scheme} target: outcome unknown ({Error}); not sent again, check the target")]
    private partial void LogUnknown(string alertId, string scheme, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId}: its message to a {Scheme} target could not be updated ({Error}); tried again on the next run")]
    private partial void LogRefreshFailed(string alertId, string scheme, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId}: its message to a {Scheme} target cannot be updated ({Error}); it keeps showing an older state")]
    private partial void LogRefreshAbandoned(string alertId, string scheme, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId}: an interrupted send was reconciled as {Status}")]
    private partial void LogReconciled(string alertId, string status);
}
