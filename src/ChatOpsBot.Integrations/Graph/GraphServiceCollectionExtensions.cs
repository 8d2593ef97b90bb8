using ChatOpsBot.Integrations.Graph;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Microsoft.Extensions.DependencyInjection;

public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IGraphMailClient"/> with app-only MSAL tokens (<see cref="GraphTokenProvider"/>, replaceable as
    /// <see cref="IAccessTokenProvider"/>), options bound from <paramref name="section"/> and validated on start with
    /// messages naming <paramref name="section"/>'s path. With an empty client id every call says "not configured".
    /// </summary>
    public static IServiceCollection AddGraphMailClient(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<GraphOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphOptions>>(new GraphOptionsValidator(section.Path)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAccessTokenProvider, GraphTokenProvider>();
        services.TryAddTransient<GraphThrottlingHandler>();
        services.TryAddTransient<GraphResponseLimitHandler>();
        services.AddHttpClient(GraphMailClient.TokenHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            // Token requests and answers carry the secret and the token: the factory must not log them.
            .RemoveAllLoggers();
        services.AddHttpClient<IGraphMailClient, GraphMailClient>(GraphMailClient.HttpClientName, (provider, http) =>
            {
                GraphOptions options = provider.GetRequiredService<IOptions<GraphOptions>>().Value;
                http.Timeout = options.RequestTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<GraphThrottlingHandler>()
            .AddHttpMessageHandler<GraphResponseLimitHandler>()
            // Request lines would put mailbox addresses and message ids in every log; this client logs what it needs.
            .RemoveAllLoggers();
        return services;
    }
}
