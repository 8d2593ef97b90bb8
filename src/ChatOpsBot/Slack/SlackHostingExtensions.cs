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
    /// files shared in channels, a start-up line saying whether Slack is on, and the three request URLs
    /// (<see cref="SlackEndpoints"/>, mapped by a startup filter so <c>Program.cs</c> needs this one call). Needs
    /// <c>AddChatOpsStorage</c> and <c>AddChatOpsCommands</c>.
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
        services.AddSingleton<SlackCommandBridge>();
        services.AddHostedService<SlackFileSharedWorker>();
        services.AddHostedService<SlackStatusLog>();
        services.AddTransient<IStartupFilter, SlackEndpointsStartupFilter>();
        return builder;
    }

    private sealed class SlackEndpointsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Routes of their own in front of the app's: a request to another path finds no endpoint here and goes on.
            app.UseRouting();
            app.UseEndpoints(endpoints => endpoints.MapSlackEndpoints());
            next(app);
        };
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
