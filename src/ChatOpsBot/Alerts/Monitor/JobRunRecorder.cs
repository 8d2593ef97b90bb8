using System.Data.Common;

namespace ChatOpsBot.Alerts.Monitor;

/// <summary>
/// Records how a failed or cancelled job run ended, without hiding why it failed: when the run failed on the database,
/// writing its outcome to that database usually fails too, and that second error must not replace the first as the
/// exception Quartz logs. A run that could not be recorded shows its previous outcome in <c>monitor status</c> until the
/// next run records one; the warning says so.
/// </summary>
internal static partial class JobRunRecorder
{
    public static async Task RecordFailureAsync(Func<Task> record, string jobName, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            await record().ConfigureAwait(false);
        }
        catch (DbException exception)
        {
            LogNotRecorded(logger, jobName, exception.GetType().Name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job}: the run's outcome could not be recorded ({ErrorType}: {Error}); monitor status shows the previous run until the next one is recorded")]
    private static partial void LogNotRecorded(ILogger logger, string job, string errorType, string error);
}
