using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.ThreatFeed;
using ChatOpsBot.Storage;
using Quartz;
using JobRunResult = ChatOpsBot.Alerts.Monitor.JobRunResult;

namespace ChatOpsBot.Scheduling;

/// <summary>Runs the URL monitor, then the outbox right away so a new alert does not wait for the next pump.</summary>
[DisallowConcurrentExecution]
internal sealed class UrlMonitorJob(UrlMonitor monitor) : IJob
{
    public static readonly JobKey Key = new(JobNames.UrlMonitor, JobNames.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        JobRunResult result = await monitor.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        await DeliverSoon.IfRaisedAsync(context, result, cancellationToken).ConfigureAwait(false);
    }
}

[DisallowConcurrentExecution]
internal sealed class UrlRecheckJob(UrlRecheck recheck) : IJob
{
    public static readonly JobKey Key = new(JobNames.UrlRecheck, JobNames.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        JobRunResult result = await recheck.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        await DeliverSoon.IfRaisedAsync(context, result, cancellationToken).ConfigureAwait(false);
    }
}

[DisallowConcurrentExecution]
internal sealed class ThreatFeedJob(ThreatFeedPoller poller) : IJob
{
    public static readonly JobKey Key = new(JobNames.ThreatFeed, JobNames.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        JobRunResult result = await poller.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        await DeliverSoon.IfRaisedAsync(context, result, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The outbox pump.</summary>
[DisallowConcurrentExecution]
internal sealed class AlertDeliveryJob(AlertDeliveryService delivery) : IJob
{
    public static readonly JobKey Key = new(JobNames.Delivery, JobNames.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await delivery.DeliverDueAsync(cancellationToken).ConfigureAwait(false);
}

/// <summary>Hourly housekeeping: clicks older than the window, expired alerts, expired de-duplication and cache rows.</summary>
[DisallowConcurrentExecution]
internal sealed class StorageMaintenanceJob(AlertMaintenance alerts, IStorageMaintenance storage) : IJob
{
    public static readonly JobKey Key = new(JobNames.Maintenance, JobNames.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await alerts.PurgeAsync(cancellationToken).ConfigureAwait(false);
        await storage.PurgeExpiredAsync(cancellationToken).ConfigureAwait(false);
    }
}

internal static class DeliverSoon
{
    public static async Task IfRaisedAsync(IJobExecutionContext context, JobRunResult result, CancellationToken cancellationToken)
    {
        if (result.AlertsRaised > 0)
        {
            await context.Scheduler.TriggerJob(AlertDeliveryJob.Key, cancellationToken).ConfigureAwait(false);
        }
    }
}
