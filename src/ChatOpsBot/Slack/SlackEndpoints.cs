using ChatOpsBot.Slack.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Slack;

/// <summary>
/// Slack's request URLs (design.md): <c>POST /api/slack/events</c>, <c>/api/slack/commands</c>,
/// <c>/api/slack/interactions</c>. With Slack off (no bot token and signing secret) they answer 404: nothing of the bot
/// exists there, and Slack gives up rather than retrying a 404 it was never configured to reach.
/// </summary>
public static partial class SlackEndpoints
{
    public const string EventsPath = "/api/slack/events";
    public const string CommandsPath = "/api/slack/commands";
    public const string InteractionsPath = "/api/slack/interactions";

    public static IEndpointRouteBuilder MapSlackEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RouteGroupBuilder slack = endpoints.MapGroup(string.Empty).WithTags("Slack");
        slack.MapPost(EventsPath, (HttpContext context, SlackAdapter adapter, IOptions<SlackOptions> options, ILogger<SlackAdapter> logger) =>
                Serve(context, options, logger, () => adapter.ProcessEventsAsync(context, Handler(context))))
            .WithName("SlackEvents")
            .WithSummary("Slack Events API: url_verification and event_callback (direct messages, mentions, file shares)");
        slack.MapPost(CommandsPath, (HttpContext context, SlackAdapter adapter, IOptions<SlackOptions> options, ILogger<SlackAdapter> logger) =>
                Serve(context, options, logger, () => adapter.ProcessCommandsAsync(context, Handler(context))))
            .WithName("SlackCommands")
            .WithSummary("The /chatops slash command");
        slack.MapPost(InteractionsPath, (HttpContext context, SlackAdapter adapter, IOptions<SlackOptions> options, ILogger<SlackAdapter> logger) =>
                Serve(context, options, logger, () => adapter.ProcessInteractionsAsync(context, Handler(context))))
            .WithName("SlackInteractions")
            .WithSummary("Interactivity: block_actions from the bot's buttons");
        return endpoints;
    }

    private static Task Serve(HttpContext context, IOptions<SlackOptions> options, ILogger logger, Func<Task> process)
    {
        if (!options.Value.IsEnabled)
        {
            LogDisabled(logger, context.Request.Path.Value ?? string.Empty);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return process();
    }

    private static SlackCommandBridge Handler(HttpContext context) => context.RequestServices.GetRequiredService<SlackCommandBridge>();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack request to {Path} answered 404: Slack is off (Slack:BotToken and Slack:SigningSecret are empty)")]
    private static partial void LogDisabled(ILogger logger, string path);
}
