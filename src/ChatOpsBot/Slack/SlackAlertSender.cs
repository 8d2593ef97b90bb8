using System.Globalization;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Commands;
using ChatOpsBot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Slack;

/// <summary>
/// Posts alerts for the outbox into Slack conversations (<c>conversation:slack:&lt;channel id&gt;</c>): the alert card
/// rendered to Block Kit by the same renderer as every other card, one <c>chat.postMessage</c> per delivery (never
/// retried here, a 429 included: the outbox has the schedule), with the delivery's idempotency key in the message
/// metadata. The message's <c>ts</c> is the remote message id; the card's Acknowledge and Snooze buttons come back as
/// <c>block_actions</c> carrying that <c>ts</c>, and the command layer replaces the message with <c>chat.update</c>.
/// <para>
/// Failures are classified by what Slack certainly did (<see cref="Classify"/>). Whether an interrupted send arrived
/// cannot be looked up: finding a message needs <c>channels:history</c> and <c>groups:history</c>, which would let the
/// bot token read every conversation the bot is in, far more than a rare ambiguous send is worth; so
/// <see cref="ReconcileAsync"/> answers Unknown and the delivery is parked for a person (docs/slack.md, "Alerts").
/// </para>
/// <para>
/// When the alert changes after it was posted (a burst grew, an acknowledgement or snooze made elsewhere), the outbox
/// calls <see cref="UpdateAsync"/>, which replaces the posted message with <c>chat.update</c>.
/// </para>
/// </summary>
internal sealed class SlackAlertSender(ISlackWebApi webApi, IOptions<SlackOptions> options) : IConversationAlertSender, IAlertMessageUpdater
{
    /// <summary>The metadata event type of alert messages; its payload carries the alert id and the idempotency key.</summary>
    public const string MetadataEventType = "chatopsbot_alert";

    public string ChannelId => ChatChannels.Slack;

    public async Task<AlertSendResult> SendAsync(AlertMessage message, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!options.Value.IsEnabled)
        {
            return AlertSendResult.Permanent("Slack is off in this process (Slack:BotToken and Slack:SigningSecret are empty)");
        }

        if (!SlackConversationIds.IsValid(conversationId))
        {
            return AlertSendResult.Permanent("the target is not a Slack conversation id (C…, G… or D…)");
        }

        BlockKitMessage blocks = BlockKitRenderer.Render(message.Card);
        var metadata = new SlackMessageMetadata(MetadataEventType, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["alert_id"] = message.Alert.AlertId,
            ["idempotency_key"] = message.IdempotencyKey,
        });
        try
        {
            SlackMessageRef posted = await webApi.PostProactiveMessageAsync(conversationId, blocks, metadata, cancellationToken).ConfigureAwait(false);
            return AlertSendResult.Sent(posted.Ts);
        }
        catch (SlackApiException exception)
        {
            return Classify(exception);
        }
    }

    /// <summary>
    /// Replaces the posted alert (<paramref name="remoteMessageId"/>, the <c>ts</c> its <c>chat.postMessage</c> returned)
    /// with <see cref="AlertMessage.Card"/> rendered to Block Kit, through one <c>chat.update</c> of that message in the
    /// target's channel. Never posts a new message. Failures are classified by <see cref="ClassifyUpdate"/>.
    /// </summary>
    public async Task<AlertSendResult> UpdateAsync(AlertMessage message, string remoteMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(remoteMessageId);
        if (!options.Value.IsEnabled)
        {
            return AlertSendResult.Permanent("Slack is off in this process (Slack:BotToken and Slack:SigningSecret are empty)");
        }

        if (!message.Target.TryGetConversation(out _, out string? conversationId) || !SlackConversationIds.IsValid(conversationId))
        {
            return AlertSendResult.Permanent("the target is not a Slack conversation id (C…, G… or D…)");
        }

        BlockKitMessage blocks = BlockKitRenderer.Render(message.Card);
        try
        {
            await webApi.UpdateProactiveMessageAsync(conversationId, remoteMessageId, blocks, cancellationToken).ConfigureAwait(false);
            return AlertSendResult.Sent(remoteMessageId);
        }
        catch (SlackApiException exception)
        {
            return ClassifyUpdate(exception);
        }
    }

    public Task<AlertReconcileResult> ReconcileAsync(AlertDeliveryCheck check, string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(AlertReconcileResult.Unknown);

    /// <summary>
    /// What a failed <c>chat.postMessage</c> means for the outbox. Retry only when Slack certainly did not post: a 429
    /// (Slack throttles before it acts), no connection made, or Slack saying it could not take the call now. Unknown
    /// when it may have posted: a timeout, a connection lost after the request went out, a 5xx, an answer that is not
    /// Slack's JSON, and Slack's own <c>internal_error</c>/<c>fatal_error</c> ("some aspect of the operation may have
    /// succeeded"). Every other <c>ok: false</c> is Slack refusing the post: permanent, with what to fix.
    /// </summary>
    internal static AlertSendResult Classify(SlackApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string error = exception.Error;
        string what = "Slack chat.postMessage: " + SlackLogText.Safe(error, 64);
        switch (error)
        {
            case SlackApiException.RateLimited or "rate_limited":
                return AlertSendResult.Retry(
                    what + (exception.RetryAfter is { } wait
                        ? string.Create(CultureInfo.InvariantCulture, $" (Slack asked to wait {wait.TotalSeconds:0} s)")
                        : string.Empty),
                    exception.RetryAfter);
            case SlackApiException.Unreachable:
                return AlertSendResult.Retry(what + " (no connection to Slack could be made; nothing was sent)");
            case "service_unavailable" or "request_timeout" or "team_added_to_org":
                return AlertSendResult.Retry(what + " (Slack could not take the call now)");
            case SlackApiException.Timeout or SlackApiException.ConnectionLost or SlackApiException.InvalidResponse or "response_too_large"
                or "internal_error" or "fatal_error":
                return AlertSendResult.Unknown(what + " (Slack may have posted it; check the channel)");
            default:
                break;
        }

        if (exception.StatusCode is { } status && (int)status >= 500)
        {
            return AlertSendResult.Unknown(what + " (Slack may have posted it; check the channel)");
        }

        if (exception.StatusCode is System.Net.HttpStatusCode.RequestTimeout)
        {
            return AlertSendResult.Retry(what + " (the request did not reach Slack in full)");
        }

        return AlertSendResult.Permanent(what + Fix(error, exception.NeededScope));
    }

    /// <summary>
    /// What a failed <c>chat.update</c> means for the outbox. Permanent when Slack refused it for a reason that will not
    /// change: the message is gone (<c>message_not_found</c>), not the bot's to edit (<c>cant_update_message</c>,
    /// <c>edit_window_closed</c>), the channel is gone or archived, the token or scope is wrong, the content refused;
    /// the outbox then gives the refresh up. Everything else is retried on a later run: a 429 (with its Retry-After),
    /// Slack unreachable or busy, and also the ambiguous outcomes a post would park as unknown (a timeout, a connection
    /// lost after the request went out, a 5xx, <c>internal_error</c>). Unlike a post, an update names the message it
    /// replaces and never adds one, so repeating one that Slack did apply only writes the same card again: retrying is
    /// harmless, and leaving the card stale is not.
    /// </summary>
    internal static AlertSendResult ClassifyUpdate(SlackApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string error = exception.Error;
        string what = "Slack chat.update: " + SlackLogText.Safe(error, 64);
        switch (error)
        {
            case "message_not_found":
                return AlertSendResult.Permanent(what + ": the alert's message is no longer in the channel (deleted)");
            case "cant_update_message" or "edit_window_closed":
                return AlertSendResult.Permanent(what + ": Slack does not let the bot edit that message");
            default:
                break;
        }

        AlertSendResult asPost = Classify(exception);
        return asPost.Status == AlertSendStatus.PermanentFailure
            ? AlertSendResult.Permanent(what + Fix(error, exception.NeededScope))
            : AlertSendResult.Retry(
                what + (asPost.Status == AlertSendStatus.OutcomeUnknown ? " (Slack may or may not have applied it; an update can be repeated)" : string.Empty),
                exception.RetryAfter);
    }

    private static string Fix(string error, string? neededScope) => error switch
    {
        "not_in_channel" => ": invite the bot to the channel (/invite @chatopsbot)",
        "channel_not_found" => ": no conversation with that id that the bot can see (check the id; a private channel needs the bot invited)",
        "is_archived" => ": the channel is archived",
        "invalid_auth" or "not_authed" or "account_inactive" or "token_revoked" or "token_expired" =>
            ": the bot token is not valid any more; reinstall the app and set Slack:BotToken",
        SlackApiException.MissingScope => $": the app lacks the {neededScope ?? "chat:write"} scope; add it and reinstall the app",
        "msg_too_long" or "invalid_blocks" or "msg_blocks_too_long" => ": Slack refused the alert's content",
        "restricted_action" or "no_permission" => ": posting in that channel is restricted for the bot",
        _ => string.Empty,
    };
}

/// <summary>Slack conversation ids as the bot stores and posts to them.</summary>
internal static class SlackConversationIds
{
    /// <summary>
    /// A public (<c>C…</c>) or private (<c>G…</c>, and newer private channels are <c>C…</c> too) channel, or a direct or
    /// group message (<c>D…</c>): upper-case letters and digits. A channel name (<c>#soc</c>) is not an id.
    /// </summary>
    public static bool IsValid(string? id) =>
        id is { Length: >= 3 and <= 32 } && id[0] is 'C' or 'G' or 'D' && id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));
}
