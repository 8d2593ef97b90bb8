using ChatOpsBot.Commands.Confirmation;
using ChatOpsBot.Health;
using ChatOpsBot.Integrations;
using ChatOpsBot.Integrations.VirusTotal;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Migrations;
using ChatOpsBot.Storage.Postgres;
using ChatOpsBot.Storage.Sqlite;
using ChatOpsBot.Storage.Stores;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>How long the <c>/readyz</c> database check may take before it counts as failed.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>Storage:Provider</c> as registration needs it (the container holds exactly one provider's services). An
    /// unreadable value counts as SQLite here; binding <see cref="StorageOptions"/> reports it on start.
    /// </summary>
    public static StorageProvider ConfiguredProvider(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Enum.TryParse(configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)}"], ignoreCase: true, out StorageProvider provider)
            && Enum.IsDefined(provider)
            ? provider
            : StorageProvider.Sqlite;
    }

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
                // The zero-configuration default is SQLite's; PostgreSQL has none, so an empty value is reported on start.
                options.ConnectionString = string.IsNullOrWhiteSpace(connectionString)
                    ? options.Provider == StorageProvider.Sqlite ? StorageOptions.DefaultSqliteConnectionString : string.Empty
                    : connectionString;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.AddOptions<VipSeedOptions>()
            .Configure(options => options.Entries = configuration.GetSection(VipSeedOptions.SectionName).Get<VipSeedEntry[]>() ?? [])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<VipSeedOptions>, VipSeedOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        if (ConfiguredProvider(configuration) == StorageProvider.Postgres)
        {
            services.AddSingleton(services => new PostgresConnectionFactory(services.GetRequiredService<IOptions<StorageOptions>>().Value));
            services.AddSingleton<DatabaseConnectionFactory>(services => services.GetRequiredService<PostgresConnectionFactory>());
            services.AddSingleton<IMigrationDialect, PostgresMigrationDialect>();
        }
        else
        {
            services.AddSingleton(services => new SqliteConnectionFactory(
                services.GetRequiredService<IOptions<StorageOptions>>().Value,
                services.GetRequiredService<IHostEnvironment>().ContentRootPath,
                services.GetRequiredService<ILogger<SqliteConnectionFactory>>()));
            services.AddSingleton<DatabaseConnectionFactory>(services => services.GetRequiredService<SqliteConnectionFactory>());
            services.AddSingleton<IMigrationDialect, SqliteMigrationDialect>();
        }

        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<VipSeeder>();
        services.AddSingleton<StorageReadiness>();
        services.AddHostedService<StorageInitializer>();

        services.AddSingleton<IVipStore, VipStore>();
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton<IConversationStore, ConversationStore>();
        services.AddSingleton<IInboundDeduplicationStore, InboundDeduplicationStore>();
        services.AddSingleton<IReputationCache, ReputationCache>();
        services.AddSingleton<IPendingConfirmationStore, PendingConfirmationStore>();
        services.AddSingleton<IVirusTotalBudgetStore, VirusTotalBudgetStore>();
        services.AddSingleton<IStorageMaintenance, StorageMaintenance>();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag], timeout: HealthCheckTimeout);
        return builder;
    }
}
