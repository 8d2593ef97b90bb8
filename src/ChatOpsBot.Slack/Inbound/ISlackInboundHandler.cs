namespace ChatOpsBot.Slack.Inbound;

/// <summary>
/// What the host does with verified, de-duplicated Slack input. Slack wants its answer within three seconds and
/// retries (events) or shows an error (commands) otherwise, so every method must only queue the work and return.
/// </summary>
public interface ISlackInboundHandler
{
    /// <summary>A direct message or a mention of the bot.</summary>
    ValueTask OnMessageAsync(SlackMessageEvent message, CancellationToken cancellationToken);

    /// <summary>A file shared in a conversation the bot is in (the host decides, after <c>files.info</c>, whether it concerns the bot).</summary>
    ValueTask OnFileSharedAsync(SlackFileSharedEvent fileShared, CancellationToken cancellationToken);

    /// <summary>A slash command; the HTTP answer is an empty 200 and the reply goes through the response URL.</summary>
    ValueTask OnSlashCommandAsync(SlackSlashCommand command, CancellationToken cancellationToken);

    /// <summary>Buttons pressed on one of the bot's messages.</summary>
    ValueTask OnBlockActionsAsync(SlackBlockActions actions, CancellationToken cancellationToken);
}

/// <summary>
/// Recognises a delivery Slack repeats (event retries carry the same <c>event_id</c>) so it is handled once. The
/// library's default keeps ids in memory; the host plugs in its database so a retry that reaches another instance is
/// caught too.
/// </summary>
public interface ISlackDeliveryDeduplicator
{
    /// <summary>True for the first delivery of <paramref name="deliveryId"/>, false for a repeat.</summary>
    ValueTask<bool> TryBeginAsync(string deliveryId, CancellationToken cancellationToken);
}
