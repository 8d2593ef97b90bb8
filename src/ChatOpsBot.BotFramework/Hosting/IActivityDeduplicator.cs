using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.BotFramework.Hosting;

/// <summary>
/// Recognises a redelivered activity (Teams retries when an answer is slow) so its turn runs once. The default keeps
/// ids in memory; the host plugs in a database-backed one so a retry that reaches another instance is caught too.
/// </summary>
public interface IActivityDeduplicator
{
    /// <summary>
    /// True when this is the first delivery of <paramref name="activity"/> (by channel, conversation and activity id)
    /// and its turn should run; false for a repeat. Activities without an id cannot be recognised and always run.
    /// </summary>
    ValueTask<bool> TryBeginAsync(Activity activity, CancellationToken cancellationToken);
}
