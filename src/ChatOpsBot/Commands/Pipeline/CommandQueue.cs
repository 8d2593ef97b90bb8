using System.Threading.Channels;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Commands.Auditing;
using ChatOpsBot.Commands.Parsing;
using ChatOpsBot.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands.Pipeline;

internal sealed record QueuedRequest(ChatRequest Request, IChatResponder Responder);

/// <summary>
/// The entry point: a bounded queue in front of <see cref="CommandWorkers"/>. Submitting never waits for a command;
/// a full queue (or a stopping bot) answers "busy" at once instead of dropping the request or growing without bound.
/// </summary>
internal sealed partial class CommandQueue : IChatCommandGateway
{
    private readonly Channel<QueuedRequest> _channel;
    private readonly AuditWriter _auditWriter;
    private readonly ILogger<CommandQueue> _logger;

    public CommandQueue(IOptions<CommandOptions> options, AuditWriter auditWriter, ILogger<CommandQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _auditWriter = auditWriter;
        _logger = logger;
        _channel = Channel.CreateBounded<QueuedRequest>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    internal ChannelReader<QueuedRequest> Reader => _channel.Reader;

    public async ValueTask<SubmitResult> SubmitAsync(ChatRequest request, IChatResponder responder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responder);
        if (_channel.Writer.TryWrite(new QueuedRequest(request, responder)))
        {
            return SubmitResult.Accepted;
        }

        LogBusy(_logger, request.CorrelationId);
        try
        {
            await responder.SendPrivateCardAsync(
                NoticeCard.Build("I'm busy", "Too many requests are waiting. Please try again in a minute.", NoticeStyle.Warning),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogBusyNoticeFailed(_logger, ex, request.CorrelationId);
        }

        await _auditWriter.AppendAsync(request, DescribeCommand(request), string.Empty, AuditOutcome.Busy, TimeSpan.Zero).ConfigureAwait(false);
        return SubmitResult.Busy;
    }

    /// <summary>No more requests; workers finish what is queued.</summary>
    internal void Complete() => _channel.Writer.TryComplete();

    // A refused request is not parsed further than its first word: enough for the trail, cheap under load.
    private static string DescribeCommand(ChatRequest request)
    {
        if (request.Action is { } action)
        {
            return PrintableText(CommandText.NormalizeName(action.Verb ?? string.Empty));
        }

        CommandText text = CommandText.Parse(request.Text is { Length: <= 4096 } t ? t : string.Empty);
        return text.IsEmpty
            ? (request.Files?.Count > 0 ? "(file)" : "(empty)")
            : PrintableText(CommandText.NormalizeName(text.Tokens[0].Value));
    }

    private static string PrintableText(string word) => Analysis.Common.PrintableText.OneLine(word, 64);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command queue full or stopping; request {CorrelationId} answered busy")]
    private static partial void LogBusy(ILogger logger, string correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the busy notice for {CorrelationId}")]
    private static partial void LogBusyNoticeFailed(ILogger logger, Exception exception, string correlationId);
}
