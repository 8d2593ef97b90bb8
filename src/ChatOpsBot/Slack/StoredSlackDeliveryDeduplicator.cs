using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Storage;

namespace ChatOpsBot.Slack;

/// <summary>
/// Slack delivery ids (<c>event:Ev…</c>, <c>command:…</c>, <c>action:…</c>) recorded in the bot's database, so a retry
/// that reaches another instance, or this one after a restart, is recognised too.
/// </summary>
internal sealed class StoredSlackDeliveryDeduplicator(IInboundDeduplicationStore store, TimeProvider timeProvider) : ISlackDeliveryDeduplicator
{
    public const string Source = "slack";

    /// <summary>Slack's last retry comes about five minutes after the first attempt; two hours leaves room for clock trouble.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(2);

    public async ValueTask<bool> TryBeginAsync(string deliveryId, CancellationToken cancellationToken) =>
        await store.TryRecordAsync(Source, deliveryId, timeProvider.GetUtcNow() + Retention, cancellationToken).ConfigureAwait(false);
}
