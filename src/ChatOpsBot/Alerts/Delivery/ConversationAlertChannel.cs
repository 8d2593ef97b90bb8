namespace ChatOpsBot.Alerts.Delivery;

/// <summary>
/// Posts alerts into one chat platform's conversations: Teams (<c>msteams</c>) through the Bot Connector, Slack
/// (<c>slack</c>) through <c>chat.postMessage</c>. Each platform registers one; <see cref="ConversationAlertChannel"/>
/// picks it by the channel id of a <c>conversation:&lt;channel id&gt;:&lt;conversation id&gt;</c> target. The same
/// honesty rules as <see cref="IAlertChannel"/> apply to both methods.
/// </summary>
public interface IConversationAlertSender
{
    /// <summary>The channel id of the targets this sender handles, as in <c>ChatRequest.Channel</c>.</summary>
    string ChannelId { get; }

    Task<AlertSendResult> SendAsync(AlertMessage message, string conversationId, CancellationToken cancellationToken);

    Task<AlertReconcileResult> ReconcileAsync(AlertDeliveryCheck check, string conversationId, CancellationToken cancellationToken);
}

/// <summary>
/// The outbox's one channel for the <c>conversation</c> scheme: the outbox keeps one <see cref="IAlertChannel"/> per
/// scheme, and conversations on every chat platform share that scheme, so this dispatches by channel id.
/// </summary>
internal sealed class ConversationAlertChannel(IEnumerable<IConversationAlertSender> senders) : IAlertChannel, IAlertMessageUpdater
{
    private readonly Dictionary<string, IConversationAlertSender> _senders = senders
        .GroupBy(s => s.ChannelId, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    public string Scheme => AlertTarget.ConversationScheme;

    public Task<AlertSendResult> SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.Target.TryGetConversation(out string? channelId, out string? conversationId))
        {
            return Task.FromResult(AlertSendResult.Permanent("not a conversation target"));
        }

        // No sender means the platform is not configured in this process (no Slack token, say): nothing was sent, and
        // nothing will be until an operator configures it, so the delivery fails rather than retrying until it expires.
        return _senders.TryGetValue(channelId, out IConversationAlertSender? sender)
            ? sender.SendAsync(message, conversationId, cancellationToken)
            : Task.FromResult(AlertSendResult.Permanent($"no alert sender for channel '{channelId}' is configured"));
    }

    /// <summary>Updates through the target's sender when it can edit its posts (it implements <see cref="IAlertMessageUpdater"/>).</summary>
    public Task<AlertSendResult> UpdateAsync(AlertMessage message, string remoteMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Target.TryGetConversation(out string? channelId, out _)
            && _senders.TryGetValue(channelId, out IConversationAlertSender? sender)
            && sender is IAlertMessageUpdater updater
                ? updater.UpdateAsync(message, remoteMessageId, cancellationToken)
                : Task.FromResult(AlertSendResult.Permanent("posts to this conversation cannot be updated"));
    }

    public Task<AlertReconcileResult> ReconcileAsync(AlertDeliveryCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Target.TryGetConversation(out string? channelId, out string? conversationId)
            && _senders.TryGetValue(channelId, out IConversationAlertSender? sender)
                ? sender.ReconcileAsync(check, conversationId, cancellationToken)
                : Task.FromResult(AlertReconcileResult.Unknown);
    }
}
