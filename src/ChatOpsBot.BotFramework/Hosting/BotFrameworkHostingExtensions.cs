using ChatOpsBot.BotFramework;
using ChatOpsBot.BotFramework.Authentication;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class BotFrameworkHostingExtensions
{
    public const string DefaultMessagesPattern = "/api/messages";

    /// <summary>The named HttpClient that fetches OpenID metadata and signing keys.</summary>
    public const string OpenIdMetadataClientName = "ChatOpsBot.BotFramework.OpenIdMetadata";

    public static readonly TimeSpan OpenIdMetadataTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The Bot Framework adapter and everything it needs: the Connector client and options
    /// (<c>AddBotFrameworkConnector</c>), inbound token validation (unless <c>MicrosoftAppId</c> is empty), and an
    /// in-memory <see cref="IActivityDeduplicator"/> unless one is registered. The bot itself is the host's
    /// <see cref="IBot"/> registration.
    /// </summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddBotFrameworkConnector(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IActivityDeduplicator, InMemoryActivityDeduplicator>();

        // The validator keeps one client for the process: the handler, not the factory, recycles connections.
        services.AddHttpClient(OpenIdMetadataClientName, client => client.Timeout = OpenIdMetadataTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(15),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();

        services.TryAddSingleton(sp =>
        {
            BotFrameworkOptions options = sp.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
            if (options.IsAnonymous)
            {
                throw new InvalidOperationException("MicrosoftAppId is empty (anonymous mode): there is no audience to validate tokens for.");
            }

            return new BotTokenValidator(
                ValidationSettings(options),
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(OpenIdMetadataClientName),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<BotTokenValidator>>());
        });

        services.TryAddSingleton(sp =>
        {
            BotFrameworkOptions options = sp.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
            return new BotFrameworkAdapter(
                sp.GetRequiredService<IConnectorClient>(),
                options.IsAnonymous ? null : sp.GetRequiredService<BotTokenValidator>(),
                sp.GetRequiredService<IActivityDeduplicator>(),
                options.MicrosoftAppId,
                sp.GetRequiredService<ILogger<BotFrameworkAdapter>>());
        });
        services.TryAddSingleton<BotAdapter>(sp => sp.GetRequiredService<BotFrameworkAdapter>());
        return services;
    }

    /// <summary>Maps <c>POST {pattern}</c> (by default <c>/api/messages</c>) to <see cref="BotFrameworkAdapter.ProcessAsync(Microsoft.AspNetCore.Http.HttpContext)"/>.</summary>
    public static IEndpointConventionBuilder MapBotFramework(this IEndpointRouteBuilder endpoints, string pattern = DefaultMessagesPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return endpoints
            .MapPost(pattern, context => context.RequestServices.GetRequiredService<BotFrameworkAdapter>().ProcessAsync(context))
            .WithDisplayName("Bot Framework activities");
    }

    /// <summary>
    /// What token validation takes from the options. A SingleTenant bot whose tenant is a GUID also accepts Entra
    /// tokens of that tenant (its issuers name the GUID, never a domain), with keys from that tenant's metadata under
    /// <c>Bot:AuthorityHost</c>.
    /// </summary>
    public static BotTokenValidationSettings ValidationSettings(BotFrameworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string tenant = options.MicrosoftAppTenantId;
        bool entra = options.AppType == BotAppType.SingleTenant && Guid.TryParseExact(tenant, "D", out _);
        return new BotTokenValidationSettings(options.MicrosoftAppId)
        {
            BotFrameworkMetadataUrl = new Uri(options.OpenIdMetadataUrl),
            EntraTenantId = entra ? tenant : null,
            EntraMetadataUrl = entra ? new Uri($"{options.AuthorityHost.TrimEnd('/')}/{tenant}/v2.0/.well-known/openid-configuration") : null,
        };
    }
}
