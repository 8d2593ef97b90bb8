using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands.Pipeline;

/// <summary>
/// Runs queued requests on <see cref="CommandOptions.Workers"/> background loops. On shutdown the queue is closed and
/// drained while the host allows; when the host's shutdown time runs out, running and queued work is cancelled, and
/// each such request is told it was interrupted (and audited), never dropped silently.
/// </summary>
internal sealed partial class CommandWorkers(
    CommandQueue queue,
    CommandDispatcher dispatcher,
    IOptions<CommandOptions> options,
    ILogger<CommandWorkers> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan s_cancelGrace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task[] _workers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _workers = [.. Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None))];
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        Task all = Task.WhenAll(_workers);
        try
        {
            await all.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await all.WaitAsync(s_cancelGrace, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogAbandoned(logger, queue.Reader.CanCount ? queue.Reader.Count : -1);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken stopping)
    {
        // Reads until the queue is closed and empty; after cancellation the remaining requests still pass through the
        // dispatcher, which tells each one it was interrupted.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (queue.Reader.TryRead(out QueuedRequest? item))
            {
                try
                {
                    await dispatcher.DispatchAsync(item.Request, item.Responder, stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogWorkerError(logger, ex, item.Request.CorrelationId);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error dispatching {CorrelationId}")]
    private static partial void LogWorkerError(ILogger logger, Exception exception, string correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped with command work still running; {Queued} queued requests abandoned")]
    private static partial void LogAbandoned(ILogger logger, int queued);
}
