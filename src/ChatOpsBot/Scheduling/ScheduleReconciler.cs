using Quartz;

namespace ChatOpsBot.Scheduling;

/// <summary>A job's trigger as this build declares it: its keys and its cron expression from configuration.</summary>
internal sealed record DeclaredSchedule(TriggerKey TriggerKey, JobKey JobKey, Func<IServiceProvider, string> Cron);

/// <summary>
/// Applies a changed schedule (<c>Monitor:Schedule</c>, <c>Alerts:DeliverySchedule</c>...) to the stored triggers at
/// start. Stored triggers are otherwise kept as they are (<c>IgnoreDuplicates</c>): in a cluster, an instance starting
/// must not replace a trigger its peers are firing, or a firing runs twice. Only a trigger whose stored cron
/// expression differs from the configured one is rescheduled, i.e. once per configuration change.
/// </summary>
internal sealed partial class ScheduleReconciler(IEnumerable<DeclaredSchedule> schedules, IServiceProvider services, ILogger<ScheduleReconciler> logger)
{
    public async Task ApplyChangedSchedulesAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        foreach (DeclaredSchedule schedule in schedules)
        {
            string configured = schedule.Cron(services);
            ITrigger? stored = await scheduler.GetTrigger(schedule.TriggerKey, cancellationToken).ConfigureAwait(false);
            // Absent: the declaration has just stored it as configured. Unchanged: nothing to do.
            if (stored is null || (stored is ICronTrigger cron && string.Equals(cron.CronExpressionString, configured, StringComparison.Ordinal)))
            {
                continue;
            }

            // As declared in AddChatOpsScheduling: cron, misfire policy "fire once now, then resume".
            ITrigger replacement = TriggerBuilder.Create()
                .WithIdentity(schedule.TriggerKey)
                .ForJob(schedule.JobKey)
                .WithCronSchedule(configured, builder => builder.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            await scheduler.RescheduleJob(schedule.TriggerKey, replacement, cancellationToken).ConfigureAwait(false);
            LogRescheduled(logger, schedule.JobKey.Name, (stored as ICronTrigger)?.CronExpressionString ?? stored.GetType().Name, configured);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler: {Job} schedule changed from '{Stored}' to '{Configured}'")]
    private static partial void LogRescheduled(ILogger logger, string job, string stored, string configured);
}
