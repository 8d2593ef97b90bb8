using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Slack;
using ChatOpsBot.Slack.Inbound;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static partial class SlackHostingExtensions
{
    /// <summary>
    /// Slack in the host: the library (<c>AddSlack</c>: options validated on start, request verification, Web API,
    /// response URLs, downloads), delivery de-duplication in the database, the glue to the command layer, the worker for
    /// files shared in channels, the conversations the bot hears from stored for <c>subscribe</c>, the outbox's sender
    /// for <c>conversation:slack:…</c> alert targets (<see cref="SlackAlertSender"/>, with those targets checked on
    /// start), and a start-up line saying whether Slack is on. The request URLs are mapped by
    /// <see cref="SlackEndpoints.MapSlackEndpoints"/>. Needs <c>AddChatOpsStorage</c> and <c>AddChatOpsCommands</c>.
    /// </summary>
    public static IHostApplicationBuilder AddChatOpsSlack(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.RemoveAll<ISlackDeliveryDeduplicator>();
        services.AddSingleton<ISlackDeliveryDeduplicator, StoredSlackDeliveryDeduplicator>();
        services.AddSlack(builder.Configuration);
        services.AddSingleton<SlackInboundFiles>();
        services.AddSingleton<SlackFileSharedQueue>();
        services.AddSingleton<SlackConversationRecorder>();
        services.AddSingleton<SlackCommandBridge>();
        services.AddHostedService<SlackFileSharedWorker>();
        services.AddHostedService<SlackStatusLog>();

        // Always registered: with Slack off it fails its deliveries permanently, saying so, instead of the outbox
        // finding no sender at all.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConversationAlertSender, SlackAlertSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertsOptions>, SlackAlertTargetsValidator>());
        return builder;
    }

    private sealed partial class SlackStatusLog(IOptions<SlackOptions> options, ILogger<SlackStatusLog> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            SlackOptions slack = options.Value;
            if (slack.IsEnabled)
            {
                LogEnabled(logger, SlackEndpoints.EventsPath, SlackEndpoints.CommandsPath, SlackEndpoints.InteractionsPath, slack.ApiBaseUrl);
            }
            else
            {
                LogDisabled(logger);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Slack is on: {Events}, {Commands}, {Interactions}; Web API at {ApiBaseUrl}")]
        private static partial void LogEnabled(ILogger logger, string events, string commands, string interactions, string apiBaseUrl);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Slack is off: Slack:BotToken and Slack:SigningSecret are empty, so /api/slack/* answer 404")]
        private static partial void LogDisabled(ILogger logger);
    }
}
