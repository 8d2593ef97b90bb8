using ChatOpsBot.Alerts;
using ChatOpsBot.Health;
using ChatOpsBot.Intake;
using ChatOpsBot.Scheduling;
using ChatOpsBot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using SchedulingOptions = ChatOpsBot.Scheduling.SchedulingOptions;

namespace Microsoft.Extensions.DependencyInjection;

public static class SchedulingServiceCollectionExtensions
{
    public const string SchedulerName = "chatops";

    /// <summary>Quartz's table prefix on SQLite (migration 0003), as released.</summary>
    public const string SqliteTablePrefix = "QRTZ_";

    /// <summary>Quartz's table prefix on PostgreSQL (migration 0003's PostgreSQL version): lower case, as PostgreSQL folds
    /// unquoted names.</summary>
    public const string PostgresTablePrefix = "qrtz_";

    /// <summary>Trigger keys are the job keys' names with this suffix, in the same group.</summary>
    public const string TriggerSuffix = "-trigger";

    /// <summary>How many of its own check-in intervals a cluster node may miss before <c>/readyz</c> reports it degraded.</summary>
    public const int ClusterCheckinTolerance = 3;

    /// <summary>
    /// The Quartz 4 scheduler as a hosted service, with its ADO job store in the bot's database, SQLite or PostgreSQL
    /// as <c>Storage:Provider</c> says (tables from migration 0003, only verified by Quartz at start; job data as
    /// System.Text.Json), the alert jobs with explicit
    /// identities, <see cref="DisallowConcurrentExecutionAttribute"/>, cron schedules from <c>Monitor</c> and
    /// <c>Alerts</c>, misfire policy "fire once now, then resume", and a Quartz check in <c>/readyz</c>.
    /// <para>
    /// On PostgreSQL the store is clustered: every instance sharing the database is a node with a generated instance
    /// id, each trigger fires on one node (Quartz's row locks in <c>qrtz_locks</c>), and a node that stops checking in
    /// (<see cref="SchedulingOptions.ClusterCheckinInterval"/> plus <see cref="SchedulingOptions.ClusterCheckinMisfireThreshold"/>)
    /// is recovered by a peer: its triggers are released and every job it was running is run again there, as every
    /// job requests recovery (each commits step by step and is safe to repeat). SQLite is one instance, never clustered.
    /// </para>
    /// </summary>
    public static IHostApplicationBuilder AddChatOpsScheduling(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        StorageProvider storageProvider = StorageServiceCollectionExtensions.ConfiguredProvider(builder.Configuration);
        bool clustered = storageProvider == StorageProvider.Postgres;

        // Read while composing (Quartz's builder takes values, not services); the same values are validated on start,
        // before the scheduler is created, so an out-of-range setting stops the host with a clear message.
        SchedulingOptions scheduling = builder.Configuration.GetSection(SchedulingOptions.SectionName).Get<SchedulingOptions>() ?? new SchedulingOptions();
        services.AddOptions<SchedulingOptions>().Bind(builder.Configuration.GetSection(SchedulingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>());
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = SchedulerName);
            if (clustered)
            {
                // "AUTO": host name plus a timestamp, distinct per process, so two nodes never read each other's
                // check-ins or fired triggers as their own.
                quartz.ConfigureScheduler(scheduler => scheduler.GenerateInstanceId = true);
            }

            quartz.UsePersistentStore(store =>
            {
                // Resolved from the container when the store starts, so it is the same database the storage layer
                // migrated (configuration overrides included): a Microsoft.Data.Sqlite source over the same file, or the
                // storage layer's own pooled NpgsqlDataSource (Quartz's PostgreSQLDelegate, provider Npgsql).
                Func<IServiceProvider, System.Data.Common.DbDataSource> dataSource = provider => provider.GetRequiredService<DatabaseConnectionFactory>().DataSource;
                if (storageProvider == StorageProvider.Postgres)
                {
                    store.UsePostgres(source => source.DataSourceFactory = dataSource);
                }
                else
                {
                    store.UseSqlite(source => source.DataSourceFactory = dataSource);
                }

                store.UseSystemTextJsonSerializer();
                if (clustered)
                {
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = scheduling.ClusterCheckinInterval;
                        cluster.CheckinMisfireThreshold = scheduling.ClusterCheckinMisfireThreshold;
                    });
                }

                store.ConfigureStore(options =>
                {
                    options.TablePrefix = storageProvider == StorageProvider.Postgres ? PostgresTablePrefix : SqliteTablePrefix;
                    options.SchemaProvisioning = SchemaProvisioning.Validate;
                    // The host decides when the process ends; a store thread must never keep it alive (e.g. after a
                    // shutdown that failed because the database had become unreadable).
                    options.UseBackgroundThreads = true;
                    options.MaxTransientRetries = 3;
                    options.TransientRetryInterval = TimeSpan.FromMilliseconds(200);
                });
            });

            Schedule<UrlMonitorJob>(quartz, services, UrlMonitorJob.Key, (p) => Monitor(p).Schedule);
            Schedule<UrlRecheckJob>(quartz, services, UrlRecheckJob.Key, (p) => Monitor(p).RecheckSchedule);
            Schedule<ThreatFeedJob>(quartz, services, ThreatFeedJob.Key, (p) => Alerts(p).ThreatFeedSchedule);
            Schedule<AlertDeliveryJob>(quartz, services, AlertDeliveryJob.Key, (p) => Alerts(p).DeliverySchedule);
            Schedule<StorageMaintenanceJob>(quartz, services, StorageMaintenanceJob.Key, _ => "0 17 * * * ?");
            // Always scheduled (a job stored in the database must have its class); a run does nothing unless ReportMailbox:Enabled.
            Schedule<ReportMailboxJob>(quartz, services, ReportMailboxJob.Key, p => p.GetRequiredService<IOptions<ReportMailboxOptions>>().Value.Schedule);
        });
        // A starting instance keeps the jobs and triggers already stored instead of replacing them: replacing a trigger
        // that a running cluster node had just fired set its next fire time back, and that firing ran twice (seen in
        // the two-instance tests when both started together, as in a rolling deploy). A changed schedule is applied by
        // ScheduleReconciler, only when the stored cron expression differs from the configured one.
        services.Configure<QuartzOptions>(options => options.Scheduling.IgnoreDuplicates = true);
        services.AddSingleton<ScheduleReconciler>();
        // Not AddQuartzHostedService: its stop awaits Quartz's shutdown without limit (see BoundedQuartzHostedService).
        services.AddHostedService<BoundedQuartzHostedService>();
        services.AddSingleton<IJobScheduleReader, QuartzJobScheduleReader>();
        services.AddScoped<UrlMonitorJob>();
        services.AddScoped<UrlRecheckJob>();
        services.AddScoped<ThreatFeedJob>();
        services.AddScoped<AlertDeliveryJob>();
        services.AddScoped<StorageMaintenanceJob>();
        services.AddScoped<ReportMailboxJob>();
        services.AddHealthChecks().AddQuartz(options =>
        {
            options.Name = "scheduler";
            options.Tags.Add(HealthEndpoints.ReadyTag);
            // A clustered node whose check-in loop has stopped still fires and answers store queries while its peers
            // recover its work as if it were dead: reported as degraded after this many missed intervals.
            options.ClusterCheckinTolerance = ClusterCheckinTolerance;
        });
        return builder;
    }

    private static void Schedule<TJob>(IQuartzBuilder quartz, IServiceCollection services, JobKey key, Func<IServiceProvider, string> cron)
        where TJob : class, IJob
    {
        var triggerKey = new TriggerKey(key.Name + TriggerSuffix, key.Group);
        services.AddSingleton(new DeclaredSchedule(triggerKey, key, cron));
        quartz.ScheduleJob<TJob>(
            (provider, trigger) => trigger
                .WithIdentity(triggerKey)
                .WithCronSchedule(cron(provider), schedule => schedule.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            // RequestRecovery: a run cut short by its process dying is run again by the node that recovers it (every
            // job commits step by step and is safe to repeat); without it the interrupted run would just be lost.
            (_, job) => job.WithIdentity(key).DisallowConcurrentExecution().RequestRecovery());
    }


    private static MonitorOptions Monitor(IServiceProvider provider) => provider.GetRequiredService<IOptions<MonitorOptions>>().Value;

    private static AlertsOptions Alerts(IServiceProvider provider) => provider.GetRequiredService<IOptions<AlertsOptions>>().Value;
}
