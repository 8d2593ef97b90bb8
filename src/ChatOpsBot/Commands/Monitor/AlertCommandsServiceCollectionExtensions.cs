using ChatOpsBot.Commands.Alerts;
using ChatOpsBot.Commands.Monitor;
using ChatOpsBot.Commands.Pipeline;
using ChatOpsBot.Commands.Subscriptions;

namespace Microsoft.Extensions.DependencyInjection;

public static class AlertCommandsServiceCollectionExtensions
{
    /// <summary>
    /// The alert commands. Registered by <c>AddChatOpsAlerts</c> rather than in the command layer's list, because they
    /// need <see cref="ChatOpsBot.Alerts.IAlertService"/>: a host without alerts simply does not offer them.
    /// </summary>
    internal static IServiceCollection AddChatOpsAlertCommands(this IServiceCollection services)
    {
        services.AddSingleton<IChatCommand, MonitorStatusCommand>();
        services.AddSingleton<IChatCommand, SubscribeCommand>();
        services.AddSingleton<IChatCommand, UnsubscribeCommand>();
        services.AddSingleton<IChatCommand, AlertAcknowledgeCommand>();
        services.AddSingleton<IChatCommand, AlertSnoozeCommand>();
        return services;
    }
}
