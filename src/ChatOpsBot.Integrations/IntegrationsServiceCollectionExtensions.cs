using ChatOpsBot.Integrations;
using ChatOpsBot.Integrations.Http;
using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Integrations.VirusTotal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class IntegrationsServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IMimecastClient"/> from the <c>Mimecast</c> section, validated when the host starts. With an empty
    /// <c>Mimecast:ClientId</c> the client is registered but reports "not configured" on every call.
    /// </summary>
    public static IServiceCollection AddMimecastClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MimecastOptions>().Bind(configuration.GetSection(MimecastOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MimecastOptions>, MimecastOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MimecastResilience>();
        services.TryAddSingleton<MimecastTokenProvider>();
        services.AddHttpClient<IMimecastClient, MimecastClient>(MimecastClient.HttpClientName, (provider, http) =>
            {
                MimecastOptions options = provider.GetRequiredService<IOptions<MimecastOptions>>().Value;
                http.BaseAddress = EndpointUrl.WithTrailingSlash(options.BaseUrl);
                // Each attempt is bounded by the retry pipeline's timeout; this is only a backstop.
                http.Timeout = options.RequestTimeout + TimeSpan.FromSeconds(5);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            // The factory's own request logging is off: this client logs what it needs without bodies or headers.
            .RemoveAllLoggers();
        return services;
    }

    /// <summary>
    /// <see cref="IReputationService"/> (VirusTotal v3) from the <c>VirusTotal</c> section, validated when the host
    /// starts, with the rate limiter over an in-memory <see cref="IVirusTotalBudgetStore"/> and an in-memory
    /// <see cref="IReputationCache"/> unless persistent ones are registered (the host's database shares both across instances). With an empty <c>VirusTotal:ApiKey</c> every lookup is Unavailable ("not configured").
    /// </summary>
    public static IServiceCollection AddVirusTotalClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<VirusTotalOptions>().Bind(configuration.GetSection(VirusTotalOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VirusTotalOptions>, VirusTotalOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IReputationCache, InMemoryReputationCache>();
        services.TryAddSingleton<IVirusTotalBudgetStore, InMemoryVirusTotalBudgetStore>();
        services.TryAddSingleton(provider => new VirusTotalRateLimiter(
            provider.GetRequiredService<IOptions<VirusTotalOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IVirusTotalBudgetStore>()));
        services.TryAddSingleton(provider => new ReputationService(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<IReputationCache>(),
            provider.GetRequiredService<VirusTotalRateLimiter>(),
            provider.GetRequiredService<IOptions<VirusTotalOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<Logging.ILogger<ReputationService>>()));
        services.TryAddSingleton<IReputationService>(provider => provider.GetRequiredService<ReputationService>());
        services.AddHttpClient(VirusTotalClient.HttpClientName, (provider, http) =>
            {
                VirusTotalOptions options = provider.GetRequiredService<IOptions<VirusTotalOptions>>().Value;
                http.BaseAddress = EndpointUrl.WithTrailingSlash(options.BaseUrl);
                http.Timeout = options.RequestTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            // The factory would log request paths, and a URL report's path is the URL itself (base64), query string included.
            .RemoveAllLoggers();
        return services;
    }
}
