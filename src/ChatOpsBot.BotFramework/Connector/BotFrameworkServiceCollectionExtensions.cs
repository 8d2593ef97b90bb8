using ChatOpsBot.BotFramework;
using ChatOpsBot.BotFramework.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Identity.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static partial class BotFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="BotFrameworkOptions"/> from <paramref name="configuration"/> (root keys and the <c>Bot</c>
    /// section) and validates them on start. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddBotFrameworkOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(BotFrameworkOptionsMarker)))
        {
            return services;
        }

        services.AddSingleton<BotFrameworkOptionsMarker>();
        services.AddOptions<BotFrameworkOptions>()
            .Configure(options => BotFrameworkOptions.Bind(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotFrameworkOptions>, BotFrameworkOptionsValidator>());
        return services;
    }

    /// <summary>
    /// The outbound side: <see cref="BotFrameworkOptions"/>, the trusted service URL list, the token provider (MSAL, or
    /// none in anonymous mode) and <see cref="IConnectorClient"/> as a typed HTTP client that never follows redirects.
    /// Retry settings come from <c>Bot:Connector</c> (<see cref="ConnectorClientOptions"/>). A second client keyed
    /// <see cref="ConnectorClient.SingleAttemptKey"/> makes one attempt per call, for callers that retry on their own.
    /// </summary>
    public static IServiceCollection AddBotFrameworkConnector(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddBotFrameworkOptions(configuration);
        services.AddOptions<ConnectorClientOptions>()
            .Bind(configuration.GetSection(ConnectorClientOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectorClientOptions>, ConnectorClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new TrustedServiceUrlList(provider.GetRequiredService<IOptions<BotFrameworkOptions>>()));

        // The factory's own logging writes every request URI (tenant, conversation ids) at Information; the
        // ConnectorClient logs what an operator needs, with ids made printable.
        services.AddHttpClient(MsalHttpClientFactory.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers();
        services.TryAddSingleton<IMsalHttpClientFactory, MsalHttpClientFactory>();
        services.TryAddSingleton<IBotTokenProvider>(provider =>
            provider.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.IsAnonymous
                ? new AnonymousBotTokenProvider()
                : ActivatorUtilities.CreateInstance<MsalBotTokenProvider>(provider));

        services.AddHttpClient<IConnectorClient, ConnectorClient>((provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<ConnectorClientOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(CreateConnectorHandler)
            .RemoveAllLoggers();

        // The same client making one attempt per call, for callers that schedule their own retries (the alert outbox).
        services.AddHttpClient(ConnectorClient.SingleAttemptKey, (provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<ConnectorClientOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(CreateConnectorHandler)
            .RemoveAllLoggers();
        services.TryAddKeyedTransient<IConnectorClient>(ConnectorClient.SingleAttemptKey, static (provider, _) =>
        {
            ConnectorClientOptions configured = provider.GetRequiredService<IOptions<ConnectorClientOptions>>().Value;
            var singleAttempt = new ConnectorClientOptions
            {
                MaxRetries = 0,
                BaseDelay = configured.BaseDelay,
                MaxDelay = configured.MaxDelay,
                MaxRetryAfter = configured.MaxRetryAfter,
                RequestTimeout = configured.RequestTimeout,
                MaxResponseBytes = configured.MaxResponseBytes,
            };
            return new ConnectorClient(
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(ConnectorClient.SingleAttemptKey),
                provider.GetRequiredService<IBotTokenProvider>(),
                provider.GetRequiredService<TrustedServiceUrlList>(),
                Options.Options.Create(singleAttempt),
                provider.GetRequiredService<ILogger<ConnectorClient>>(),
                provider.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    private static SocketsHttpHandler CreateConnectorHandler() => new()
    {
        // A redirect would carry the request (and its token) to a URL nobody checked.
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private sealed class BotFrameworkOptionsMarker;
}
