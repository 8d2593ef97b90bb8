using System.Text.Json;
using System.Threading.Channels;
using ChatOpsBot.Cards;
using ChatOpsBot.Commands;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Slack;

/// <summary>
/// The Slack glue: verified Slack input becomes a channel-neutral <see cref="ChatRequest"/> for the command layer
/// (<see cref="IChatCommandGateway"/>, which only queues), answered by a <see cref="SlackResponder"/>. Slack user ids
/// are the role ids, as Entra object ids are in Teams. Conversations that message or mention the bot are stored
/// (<see cref="SlackConversationRecorder"/>) so alerts can be subscribed there. Files shared in channels are looked at by a background worker
/// (<see cref="SlackFileSharedWorker"/>), because deciding whether one concerns the bot needs a <c>files.info</c> call.
/// </summary>
internal sealed partial class SlackCommandBridge(
    IChatCommandGateway gateway,
    ISlackWebApi webApi,
    ISlackResponseUrlClient responseUrls,
    SlackInboundFiles files,
    SlackFileSharedQueue fileSharedQueue,
    SlackConversationRecorder conversations,
    ILoggerFactory loggerFactory,
    ILogger<SlackCommandBridge> logger) : ISlackInboundHandler
{
    private const int MaxButtonArgs = 20;

    private static readonly TimeSpan s_busyNoticeTimeout = TimeSpan.FromSeconds(2);

    public async ValueTask OnMessageAsync(SlackMessageEvent message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ConversationKind kind = KindOf(message.ChannelId, message.ChannelType);

        // Before the command is queued, so "@chatopsbot subscribe" finds its conversation stored.
        await conversations.RecordAsync(message.TeamId, message.ChannelId, message.ChannelType, cancellationToken).ConfigureAwait(false);

        // In a channel the answer goes into a thread under the mention; a DM is answered in place.
        string? thread = message.ThreadTs ?? (kind == ConversationKind.Personal ? null : message.Ts);
        SlackResponder responder = Responder(new SlackReplyTarget(message.ChannelId, message.UserId, kind == ConversationKind.Personal, thread));
        var request = new ChatRequest(
            ChatChannels.Slack,
            new ChatActor(message.UserId, null),
            new ChatConversation(message.ChannelId, kind),
            message.Text,
            [.. message.Files.Select(f => files.ToInboundFile(f, responder))],
            null,
            message.EventId);
        await SubmitAsync(request, responder).ConfigureAwait(false);
    }

    public ValueTask OnFileSharedAsync(SlackFileSharedEvent fileShared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileShared);
        if (KindOf(fileShared.ChannelId, null) == ConversationKind.Personal)
        {
            // A file in a DM also arrives as the message that carries it (message.im, file_share); that one is answered.
            return ValueTask.CompletedTask;
        }

        fileSharedQueue.Enqueue(fileShared);
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnSlashCommandAsync(SlackSlashCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ConversationKind kind = KindOf(command.ChannelId, null);
        SlackResponder responder = Responder(new SlackReplyTarget(
            command.ChannelId, command.UserId, kind == ConversationKind.Personal, ResponseUrl: command.ResponseUrl, PreferResponseUrl: true));
        var request = new ChatRequest(
            ChatChannels.Slack,
            new ChatActor(command.UserId, command.UserName),
            new ChatConversation(command.ChannelId, kind),
            command.Text,
            [],
            null,
            command.TriggerId ?? Guid.NewGuid().ToString("N"));
        await SubmitAsync(request, responder).ConfigureAwait(false);
    }

    public async ValueTask OnBlockActionsAsync(SlackBlockActions actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        SlackAction action = actions.Actions[0];
        if (actions.ChannelId is null || ButtonData(action.Value) is not { } data || !data.TryGetValue(CardActions.VerbKey, out string? verb))
        {
            // Our buttons always carry {"verb": ..., args} (BlockKitRenderer); anything else is not ours to run.
            LogUnknownButton(logger, SlackLogText.Safe(action.ActionId, 60));
            return;
        }

        data.Remove(CardActions.VerbKey);
        ConversationKind kind = KindOf(actions.ChannelId, null);
        SlackResponder responder = Responder(new SlackReplyTarget(
            actions.ChannelId,
            actions.UserId,
            kind == ConversationKind.Personal,
            ResponseUrl: actions.ResponseUrl,
            InteractionMessageTs: actions.MessageTs,
            InteractionMessageIsEphemeral: actions.IsEphemeral));
        var request = new ChatRequest(
            ChatChannels.Slack,
            new ChatActor(actions.UserId, actions.UserName),
            new ChatConversation(actions.ChannelId, kind),
            string.Empty,
            [],
            new ChatCardAction(verb, data, actions.MessageTs),
            string.Join(':', "action", actions.MessageTs ?? "-", action.ActionTs ?? "-"));
        await SubmitAsync(request, responder).ConfigureAwait(false);
    }

    /// <summary>An email forward shared in a channel the bot is in, found by the worker: analysed like an upload.</summary>
    internal async Task SubmitEmailForwardAsync(SlackFileSharedEvent fileShared, SlackFile file)
    {
        SlackResponder responder = Responder(new SlackReplyTarget(fileShared.ChannelId, fileShared.UserId, IsDirectMessage: false));
        var request = new ChatRequest(
            ChatChannels.Slack,
            new ChatActor(fileShared.UserId, null),
            new ChatConversation(fileShared.ChannelId, KindOf(fileShared.ChannelId, null)),
            string.Empty,
            [files.ToInboundFile(file, responder)],
            null,
            fileShared.EventId);
        await SubmitAsync(request, responder).ConfigureAwait(false);
    }

    /// <summary>
    /// The button's value as string arguments: our values are a flat JSON object of strings. Anything else (another
    /// shape, a number, more than <see cref="MaxButtonArgs"/> keys) is refused.
    /// </summary>
    internal static Dictionary<string, string>? ButtonData(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 2 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String || data.Count >= MaxButtonArgs || !data.TryAdd(property.Name, property.Value.GetString()!))
                {
                    return null;
                }
            }

            return data;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static ConversationKind KindOf(string channelId, string? channelType) => channelType switch
    {
        "im" => ConversationKind.Personal,
        "mpim" => ConversationKind.Group,
        "channel" or "group" => ConversationKind.Channel,
        _ => channelId.StartsWith('D') ? ConversationKind.Personal : ConversationKind.Channel,
    };

    private SlackResponder Responder(SlackReplyTarget target) =>
        new(target, webApi, responseUrls, loggerFactory.CreateLogger<SlackResponder>());

    private async Task SubmitAsync(ChatRequest request, SlackResponder responder)
    {
        // Not the inbound request's token, which Slack's 200 ends; but bounded, because when the queue is full the
        // gateway posts its "busy" notice before returning, and Slack wants its answer within three seconds.
        using var busyNoticeDeadline = new CancellationTokenSource(s_busyNoticeTimeout);
        SubmitResult result = await gateway.SubmitAsync(request, responder, busyNoticeDeadline.Token).ConfigureAwait(false);
        if (result == SubmitResult.Busy)
        {
            LogBusy(logger, SlackLogText.Safe(request.CorrelationId, 80));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Slack button press ({ActionId}) carried no command data; ignored")]
    private static partial void LogUnknownButton(ILogger logger, string actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack request {CorrelationId} answered busy")]
    private static partial void LogBusy(ILogger logger, string correlationId);
}

/// <summary>A bounded queue of <c>file_shared</c> events for <see cref="SlackFileSharedWorker"/>; full means dropped, with a log line.</summary>
internal sealed partial class SlackFileSharedQueue(ILogger<SlackFileSharedQueue> logger)
{
    public const int Capacity = 200;

    private readonly Channel<SlackFileSharedEvent> _channel = Channel.CreateBounded<SlackFileSharedEvent>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<SlackFileSharedEvent> Reader => _channel.Reader;

    public void Enqueue(SlackFileSharedEvent fileShared)
    {
        if (!_channel.Writer.TryWrite(fileShared))
        {
            LogDropped(logger, SlackLogText.Safe(fileShared.FileId, 64));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Too many Slack file shares waiting; file {FileId} is not looked at")]
    private static partial void LogDropped(ILogger logger, string fileId);
}
