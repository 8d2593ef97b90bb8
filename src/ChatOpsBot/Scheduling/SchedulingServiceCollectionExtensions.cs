using ChatOpsBot.Alerts;
using ChatOpsBot.Health;
using ChatOpsBot.Intake;
using ChatOpsBot.Scheduling;
using ChatOpsBot.Storage;
using Microsoft.Extensions.Options;
using Quartz;

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

    /// <summary>
    /// The Quartz 4 scheduler as a hosted service, with its ADO job store in the bot's database, SQLite or PostgreSQL
    /// as <c>Storage:Provider</c> says (tables from migration 0003, only verified by Quartz at start; job data as
    /// System.Text.Json), the alert jobs with explicit
    /// identities, <see cref="DisallowConcurrentExecutionAttribute"/>, cron schedules from <c>Monitor</c> and
    /// <c>Alerts</c>, misfire policy "fire once now, then resume", and a Quartz check in <c>/readyz</c>.
    /// </summary>
    public static IHostApplicationBuilder AddChatOpsScheduling(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        StorageProvider storageProvider = StorageServiceCollectionExtensions.ConfiguredProvider(builder.Configuration);
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = SchedulerName);
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

            Schedule<UrlMonitorJob>(quartz, UrlMonitorJob.Key, (p) => Monitor(p).Schedule);
            Schedule<UrlRecheckJob>(quartz, UrlRecheckJob.Key, (p) => Monitor(p).RecheckSchedule);
            Schedule<ThreatFeedJob>(quartz, ThreatFeedJob.Key, (p) => Alerts(p).ThreatFeedSchedule);
            Schedule<AlertDeliveryJob>(quartz, AlertDeliveryJob.Key, (p) => Alerts(p).DeliverySchedule);
            Schedule<StorageMaintenanceJob>(quartz, StorageMaintenanceJob.Key, _ => "0 17 * * * ?");
            // Always scheduled (a job stored in the database must have its class); a run does nothing unless ReportMailbox:Enabled.
            Schedule<ReportMailboxJob>(quartz, ReportMailboxJob.Key, p => p.GetRequiredService<IOptions<ReportMailboxOptions>>().Value.Schedule);
        });
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
        });
        return builder;
    }

    private static void Schedule<TJob>(IQuartzBuilder quartz, JobKey key, Func<IServiceProvider, string> cron)
        where TJob : class, IJob =>
        quartz.ScheduleJob<TJob>(
            (provider, trigger) => trigger
                .WithIdentity(key.Name + TriggerSuffix, key.Group)
                .WithCronSchedule(cron(provider), schedule => schedule.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            (_, job) => job.WithIdentity(key).DisallowConcurrentExecution());

    private static MonitorOptions Monitor(IServiceProvider provider) => provider.GetRequiredService<IOptions<MonitorOptions>>().Value;

    private static AlertsOptions Alerts(IServiceProvider provider) => provider.GetRequiredService<IOptions<AlertsOptions>>().Value;
}
