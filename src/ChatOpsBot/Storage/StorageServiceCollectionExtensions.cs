using ChatOpsBot.Health;
using ChatOpsBot.Integrations;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Migrations;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>How long the <c>/readyz</c> database check may take before it counts as failed.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The bot's durable state: options (<c>Storage</c>, <c>ConnectionStrings:ChatOps</c>, <c>Vips</c>) validated on
    /// start, the stores, a start-up step that creates, migrates and seeds the database before the host serves
    /// requests, and the database's <c>/readyz</c> check.
    /// </summary>
    public static IHostApplicationBuilder AddChatOpsStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        IConfiguration configuration = builder.Configuration;

        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .Configure(options =>
            {
                string? connectionString = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
                options.ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? StorageOptions.DefaultSqliteConnectionString : connectionString;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.AddOptions<VipSeedOptions>()
            .Configure(options => options.Entries = configuration.GetSection(VipSeedOptions.SectionName).Get<VipSeedEntry[]>() ?? [])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<VipSeedOptions>, VipSeedOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new SqliteConnectionFactory(
            provider.GetRequiredService<IOptions<StorageOptions>>().Value,
            provider.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.AddSingleton<IMigrationDialect, SqliteMigrationDialect>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<SqliteVipSeeder>();
        services.AddSingleton<StorageReadiness>();
        services.AddHostedService<SqliteStorageInitializer>();

        services.AddSingleton<IVipStore, SqliteVipStore>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<IInboundDeduplicationStore, SqliteInboundDeduplicationStore>();
        services.AddSingleton<IReputationCache, SqliteReputationCache>();
        services.AddSingleton<IStorageMaintenance, SqliteStorageMaintenance>();

        services.AddHealthChecks()
            .AddCheck<SqliteHealthCheck>("database", tags: [HealthEndpoints.ReadyTag], timeout: HealthCheckTimeout);
        return builder;
    }
}
