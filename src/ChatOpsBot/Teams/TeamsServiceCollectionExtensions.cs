using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.BotFramework;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Hosting;
using ChatOpsBot.Teams;
using ChatOpsBot.Teams.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>
    /// Microsoft Teams: the Bot Framework adapter (<c>MicrosoftAppId</c>, <c>Bot:*</c>, validated on start), Teams file
    /// downloads (<c>Bot:Files</c>), activity de-duplication in the database, and the bot that hands every turn to the
    /// command layer, and the Teams alert sender. With <c>MicrosoftAppId</c> empty (anonymous local mode) the host listens on loopback only and says
    /// so at start-up. Needs <c>AddChatOpsStorage</c> and <c>AddChatOpsCommands</c>.
    /// </summary>
    public static IHostApplicationBuilder AddChatOpsTeams(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;

        // Before AddBotFramework, which otherwise registers its in-memory deduplicator.
        services.TryAddSingleton<IActivityDeduplicator, StoredActivityDeduplicator>();
        services.AddBotFramework(builder.Configuration);
        services.AddTeamsFileDownloads(builder.Configuration);

        services.AddSingleton<TeamsOutbox>();
        services.AddHostedService(provider => provider.GetRequiredService<TeamsOutbox>());
        services.AddSingleton<TeamsInboundFiles>();
        services.AddSingleton<TeamsInstallations>();
        services.AddSingleton<IBot, TeamsBot>();
        services.AddTeamsAlertDelivery();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotFrameworkOptions>, AnonymousModeValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, AnonymousModeKestrelSetup>());
        services.AddHostedService<AnonymousModeGuard>();
        return builder;
    }

    /// <summary>
    /// Proactive alert cards into Teams conversations (<c>conversation:msteams:…</c> targets of the alert outbox),
    /// through the single-attempt Connector client. Needs <c>AddBotFrameworkConnector</c> and the conversation store.
    /// </summary>
    internal static IServiceCollection AddTeamsAlertDelivery(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConversationAlertSender, TeamsAlertSender>());
        return services;
    }

    /// <summary>Maps <c>POST /api/messages</c>, the Bot Framework messaging endpoint.</summary>
    public static IEndpointRouteBuilder MapChatOpsTeams(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapBotFramework();
        return endpoints;
    }
}
