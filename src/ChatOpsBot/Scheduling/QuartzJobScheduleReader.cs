using ChatOpsBot.Alerts;
using Quartz;

namespace ChatOpsBot.Scheduling;

/// <summary>Next fire times for <c>monitor status</c>, from the running scheduler.</summary>
internal sealed class QuartzJobScheduleReader(ISchedulerFactory schedulers) : IJobScheduleReader
{
    public async Task<DateTimeOffset?> NextRunAsync(string jobName, CancellationToken cancellationToken)
    {
        IScheduler scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        ITrigger? trigger = await scheduler.GetTrigger(
            new TriggerKey(jobName + SchedulingServiceCollectionExtensionsNames.TriggerSuffix, JobNames.Group), cancellationToken).ConfigureAwait(false);
        return trigger?.NextFireTimeUtc;
    }
}

internal static class SchedulingServiceCollectionExtensionsNames
{
    public const string TriggerSuffix = Microsoft.Extensions.DependencyInjection.SchedulingServiceCollectionExtensions.TriggerSuffix;
}
