using System.Data.Common;
using ChatOpsBot.Storage;
using Quartz;

namespace ChatOpsBot.Scheduling;

/// <summary>
/// Starts the Quartz scheduler with the host and stops it with a bounded wait, in place of Quartz's
/// <c>AddQuartzHostedService</c>. With Quartz's hosted service, stopping a host whose database had been overwritten
/// under the running scheduler never completed (a test host's disposal hung past 45 s and the test process never
/// exited); calling <see cref="IScheduler.Shutdown(bool, CancellationToken)"/> directly returns at once in the same
/// situation. The wait is bounded anyway, so no Quartz state can hold a stop (a container's SIGTERM, a test run) for
/// ever: jobs commit step by step (claims before sends), so abandoning an unfinished shutdown loses nothing, and the
/// store's threads are background threads, so they do not keep the process alive.
/// </summary>
internal sealed partial class BoundedQuartzHostedService(
    ISchedulerFactory schedulers,
    ScheduleReconciler reconciler,
    DatabaseConnectionFactory connections,
    ILogger<BoundedQuartzHostedService> logger) : IHostedService
{
    /// <summary>
    /// The session-level advisory lock instances take, on PostgreSQL, while they create the scheduler (which stores the
    /// jobs and triggers missing from the database) and apply changed schedules: 'chatopsq' in ASCII, distinct from the
    /// write and migration locks. Without it two instances starting together both found the monitor's trigger missing,
    /// and the later store set back a trigger the other node had just fired: that firing ran twice.
    /// </summary>
    public const long SchedulerStartLockKey = 0x63_68_61_74_6f_70_73_71;

    /// <summary>How long a stop waits for Quartz to shut down before the host carries on without it.</summary>
    public static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(5);

    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The database is migrated in the storage initializer's StartingAsync, before any StartAsync, so the scheduler
        // starts with the host: /readyz is healthy exactly when the bot serves and its jobs run.
        if (connections.Provider == StorageProvider.Postgres)
        {
            DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken).ConfigureAwait(false);
                try
                {
                    _scheduler = await CreateAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        else
        {
            _scheduler = await CreateAsync(cancellationToken).ConfigureAwait(false);
        }

        await _scheduler.Start(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IScheduler> CreateAsync(CancellationToken cancellationToken)
    {
        IScheduler scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        await reconciler.ApplyChangedSchedulesAsync(scheduler, cancellationToken).ConfigureAwait(false);
        return scheduler;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("@key", SchedulerStartLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is null)
        {
            return;
        }

        IScheduler scheduler = _scheduler;
        Task shutdown = Task.Run(async () => await scheduler.Shutdown(waitForJobsToComplete: false, CancellationToken.None).ConfigureAwait(false), CancellationToken.None);
        try
        {
            await shutdown.WaitAsync(ShutdownWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogShutdownAbandoned(logger, ShutdownWait);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogShutdownAbandoned(logger, ShutdownWait);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Scheduler: Quartz did not shut down within {Wait}; stopping without it (jobs commit step by step, nothing is lost)")]
    private static partial void LogShutdownAbandoned(ILogger logger, TimeSpan wait);
}
