namespace ChatOpsBot.Scheduling;

/// <summary>
/// Says once at start-up whether this process runs the alert jobs, so an operator reading the log of a bot that
/// posts no alerts sees at once that the scheduler was switched off rather than broken.
/// </summary>
internal sealed partial class SchedulerStartupReport(bool enabled, ILogger<SchedulerStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (enabled)
        {
            LogRunning(logger, SchedulingOptions.EnabledKey);
        }
        else
        {
            LogDisabled(logger, SchedulingOptions.EnabledKey);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Scheduler: running; the alert jobs (URL monitor, re-check, threat feed, delivery, maintenance) run in this process ({Key} = true)")]
    private static partial void LogRunning(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Scheduler: disabled ({Key} = false); no alert job runs in this process, no alert is raised or delivered")]
    private static partial void LogDisabled(ILogger logger, string key);
}
