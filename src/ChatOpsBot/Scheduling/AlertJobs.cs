using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.ThreatFeed;
using ChatOpsBot.Storage;
using Quartz;
using JobRunResult = ChatOpsBot.Alerts.Monitor.JobRunResult;

namespace ChatOpsBot.Scheduling;

/// <summary>
/// A job whose run may raise alerts: when it does, the outbox runs right away so a new alert does not wait for the
/// next pump. Each subclass keeps its own type because Quartz stores jobs by class name. Each run says which
/// scheduled firing it serves and on which cluster node, so an operator (and the cluster tests) can see that a
/// firing ran on exactly one instance, and which runs were recoveries of a dead node's work.
/// </summary>
internal abstract partial class AlertRaisingJob(ILogger logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        LogRunStarted(
            logger,
            context.JobDetail.Key.Name,
            context.Recovering ? context.RecoveringTriggerKey?.Name ?? context.Trigger.Key.Name : context.Trigger.Key.Name,
            context.ScheduledFireTimeUtc ?? context.FireTimeUtc,
            context.Scheduler.SchedulerInstanceId,
            context.Recovering);
        JobRunResult result = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
        if (result.AlertsRaised > 0)
        {
            await context.Scheduler.TriggerJob(AlertDeliveryJob.Key, cancellationToken).ConfigureAwait(false);
        }
    }

    protected abstract Task<JobRunResult> RunOnceAsync(CancellationToken cancellationToken);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Scheduler: {Job} run for trigger {Trigger} fire time {ScheduledFireTime:O} on node {InstanceId} (recovering: {Recovering})")]
    private static partial void LogRunStarted(ILogger logger, string job, string trigger, DateTimeOffset scheduledFireTime, string instanceId, bool recovering);
}

[DisallowConcurrentExecution]
internal sealed class UrlMonitorJob(UrlMonitor monitor, ILogger<UrlMonitorJob> logger) : AlertRaisingJob(logger)
{
    public static readonly JobKey Key = new(JobNames.UrlMonitor, JobNames.Group);

    protected override Task<JobRunResult> RunOnceAsync(CancellationToken cancellationToken) =>
        monitor.RunOnceAsync(cancellationToken);
}

[DisallowConcurrentExecution]
internal sealed class UrlRecheckJob(UrlRecheck recheck, ILogger<UrlRecheckJob> logger) : AlertRaisingJob(logger)
{
    public static readonly JobKey Key = new(JobNames.UrlRecheck, JobNames.Group);

    protected override Task<JobRunResult> RunOnceAsync(CancellationToken cancellationToken) =>
        recheck.RunOnceAsync(cancellationToken);
}

[DisallowConcurrentExecution]
internal sealed class ThreatFeedJob(ThreatFeedPoller poller, ILogger<ThreatFeedJob> logger) : AlertRaisingJob(logger)
{
    public static readonly JobKey Key = new(JobNames.ThreatFeed, JobNames.Group);

    protected override Task<JobRunResult> RunOnceAsync(CancellationToken cancellationToken) =>
        poller.RunOnceAsync(cancellationToken);
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
