using ChatOpsBot.Slack;
using ChatOpsBot.Slack.Files;
using ChatOpsBot.Slack.Hosting;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.WebApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Slack: <see cref="SlackOptions"/> from <c>Slack</c> validated on start, the <see cref="SlackAdapter"/> that
    /// verifies and parses inbound requests, an in-memory <see cref="ISlackDeliveryDeduplicator"/> unless the host
    /// registered one, and three typed HTTP clients: <see cref="ISlackWebApi"/> (the bot token, <c>Slack:ApiBaseUrl</c>),
    /// <see cref="ISlackResponseUrlClient"/> (no token) and <see cref="SlackFileDownloader"/> (the token, Slack's file
    /// hosts only). None follows redirects on its own, and the two that carry capability URLs (response URLs, file
    /// paths) do not log them. The host provides <see cref="ISlackInboundHandler"/>.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SlackOptions>().Bind(configuration.GetSection(SlackOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISlackDeliveryDeduplicator, InMemorySlackDeliveryDeduplicator>();
        services.TryAddSingleton<SlackAdapter>();

        services.AddHttpClient<ISlackWebApi, SlackWebApiClient>((provider, client) =>
            {
                string baseUrl = provider.GetRequiredService<IOptions<SlackOptions>>().Value.ApiBaseUrl;
                client.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute);
                // Each attempt has its own deadline (Slack:RequestTimeout); waits for Retry-After are outside it.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(NoRedirects);
        services.AddHttpClient<ISlackResponseUrlClient, SlackResponseUrlClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(NoRedirects)
            .RemoveAllLoggers();
        services.AddHttpClient<SlackFileDownloader>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(NoRedirects)
            .RemoveAllLoggers();
        return services;
    }

    private static SocketsHttpHandler NoRedirects() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(15),
    };
}
