using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Teams;

/// <summary>
/// Sends that must not hold up an inbound request and belong to no command (the welcome card): a bounded queue and
/// one background sender. A full queue drops the send with a warning rather than delaying acknowledgements, and sends
/// still queued at shutdown are abandoned: they are courtesies, never command results.
/// </summary>
internal sealed partial class TeamsOutbox(ILogger<TeamsOutbox> logger) : BackgroundService
{
    public const int Capacity = 256;

    private readonly Channel<(string What, Func<CancellationToken, Task> Send)> _queue =
        Channel.CreateBounded<(string, Func<CancellationToken, Task>)>(new BoundedChannelOptions(Capacity) { SingleReader = true });

    /// <summary>Queues <paramref name="send"/>; false (and a warning) when the queue is full.</summary>
    public bool TryEnqueue(string what, Func<CancellationToken, Task> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        if (_queue.Writer.TryWrite((what, send)))
        {
            return true;
        }

        LogDropped(logger, what);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach ((string what, Func<CancellationToken, Task> send) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await send(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex, what);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is not sent.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams outbox full; not sending the {What}")]
    private static partial void LogDropped(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the {What}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what);
}
