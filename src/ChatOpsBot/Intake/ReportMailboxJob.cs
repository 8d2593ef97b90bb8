using ChatOpsBot.Alerts;
using ChatOpsBot.Scheduling;
using Quartz;

namespace ChatOpsBot.Intake;

/// <summary>The report mailbox, on <see cref="ReportMailboxOptions.Schedule"/>; a run that raised verdict alerts starts
/// the outbox at once so the SOC card does not wait for the next delivery run.</summary>
[DisallowConcurrentExecution]
internal sealed class ReportMailboxJob(ReportMailboxPoller poller) : IJob
{
    public const string Name = JobNames.ReportMailbox;

    public static readonly JobKey Key = new(Name, JobNames.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ReportMailboxRunResult result = await poller.RunOnceAsync(cancellationToken).ConfigureAwait(false);
        if (result.Analysed > 0)
        {
            await context.Scheduler.TriggerJob(AlertDeliveryJob.Key, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Starts the outbox job now when the scheduler runs in this process; otherwise the next scheduled delivery
/// run (or another instance) sends the alert. Never fails the caller: the alert is stored already.</summary>
internal sealed partial class AlertDeliveryNudge(IServiceProvider services, ILogger<AlertDeliveryNudge> logger)
{
    public async Task NudgeAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<ISchedulerFactory>() is not { } factory)
        {
            return;
        }

        try
        {
            IScheduler scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
            await scheduler.TriggerJob(AlertDeliveryJob.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (SchedulerException ex)
        {
            LogNudgeFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start the alert delivery job now ({Error}); the next scheduled run delivers")]
    private static partial void LogNudgeFailed(ILogger logger, string error);
}
