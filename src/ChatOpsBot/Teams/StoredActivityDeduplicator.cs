using ChatOpsBot.BotFramework.Hosting;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.Storage;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Teams;

/// <summary>
/// Recognises redelivered activities through the database, so a Teams retry that reaches another instance (or this
/// one after a restart) is still processed once. The key is the in-memory deduplicator's (channel, conversation and
/// activity id), kept for the same <see cref="InMemoryActivityDeduplicator.Retention"/>.
/// </summary>
internal sealed partial class StoredActivityDeduplicator(
    IInboundDeduplicationStore store,
    TimeProvider timeProvider,
    ILogger<StoredActivityDeduplicator> logger) : IActivityDeduplicator
{
    /// <summary>The <c>source</c> of Bot Framework deliveries in the shared deduplication table.</summary>
    public const string Source = "botframework";

    public async ValueTask<bool> TryBeginAsync(Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (InMemoryActivityDeduplicator.KeyOf(activity) is not { } key)
        {
            return true;
        }

        try
        {
            return await store.TryRecordAsync(Source, key, timeProvider.GetUtcNow() + InMemoryActivityDeduplicator.Retention, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Failing open: with the database down a retried message may be answered twice, which beats losing it.
            LogStoreFailed(logger, ex);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record an inbound activity for de-duplication; processing it anyway")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);
}
