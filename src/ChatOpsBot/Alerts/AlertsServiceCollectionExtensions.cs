using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Alerts.ThreatFeed;
using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Integrations.VirusTotal;
using ChatOpsBot.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// Proactive alerts: the URL monitor, its VirusTotal re-check, the threat feed, the outbox with its SMTP channel,
    /// alert state and subscriptions (<see cref="IAlertService"/>, <see cref="IAlertSubscriptions"/>), and the Quartz
    /// scheduler that runs them from the same database. Options <c>Monitor</c>, <c>Alerts</c>, <c>Smtp</c> are validated
    /// on start; the seed's environment variables fill keys left empty. <c>Scheduling:Enabled</c> = false leaves Quartz
    /// out (the services and commands still work; no job runs), and a start-up log line says which. Needs
    /// <c>AddChatOpsStorage</c>.
    /// </summary>
    public static IHostApplicationBuilder AddChatOpsAlerts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        Dictionary<string, string?> aliases = SeedEnvironmentAliases.Resolve(builder.Configuration, Environment.GetEnvironmentVariables());
        if (aliases.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(aliases);
        }

        services.AddAlertServices(builder.Configuration);
        services.AddChatOpsAlertCommands();

        // Read once while composing: whether Quartz is registered at all cannot change after the container is built.
        bool schedulerEnabled = builder.Configuration.GetValue(SchedulingOptions.EnabledKey, defaultValue: true);
        services.AddOptions<SchedulingOptions>().Bind(builder.Configuration.GetSection(SchedulingOptions.SectionName));
        services.AddHostedService(provider => new SchedulerStartupReport(
            schedulerEnabled, provider.GetRequiredService<ILogger<SchedulerStartupReport>>()));
        if (schedulerEnabled)
        {
            builder.AddChatOpsScheduling();
        }

        return builder;
    }

    /// <summary>Everything but the scheduler (tests drive the jobs directly).</summary>
    internal static IServiceCollection AddAlertServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MonitorOptions>().Bind(configuration.GetSection(MonitorOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AlertsOptions>().Bind(configuration.GetSection(AlertsOptions.SectionName)).ValidateOnStart();
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MonitorOptions>, MonitorOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertsOptions>, AlertsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>());

        if (!services.Any(d => d.ServiceType == typeof(IMimecastClient)))
        {
            services.AddMimecastClient(configuration);
        }

        if (!services.Any(d => d.ServiceType == typeof(IReputationService)))
        {
            services.AddVirusTotalClient(configuration);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertDatabase>();
        services.TryAddSingleton(provider => new UrlNormalizer(provider.GetRequiredService<IOptions<MonitorOptions>>().Value.EffectiveTrackingParameters));
        services.TryAddSingleton<AlertRaiser>();
        services.TryAddSingleton<UrlMonitor>();
        services.TryAddSingleton<UrlRecheck>();
        services.TryAddSingleton<ThreatFeedPoller>();
        services.TryAddSingleton<AlertMaintenance>();
        services.TryAddSingleton<AlertDeliveryService>();
        services.TryAddSingleton<AlertService>();
        services.TryAddSingleton<IAlertService>(provider => provider.GetRequiredService<AlertService>());
        services.TryAddSingleton<IAlertSubscriptions>(provider => provider.GetRequiredService<AlertService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertChannel, SmtpAlertChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertChannel, ConversationAlertChannel>());
        return services;
    }
}
