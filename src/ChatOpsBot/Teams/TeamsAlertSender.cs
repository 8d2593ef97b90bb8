using System.Globalization;
using System.Text.Json;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.Storage;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Teams;

/// <summary>
/// Posts alert cards into Teams conversations (<c>conversation:msteams:&lt;conversation id&gt;</c>) proactively: the
/// conversation reference stored when the bot was installed there gives the service URL and the addressing, the card
/// goes out as a new post (not a reply), and the Connector's activity id comes back so the card can later be updated
/// in place (acknowledge, snooze). One attempt per send through the single-attempt Connector client: the outbox owns
/// retries and schedules them (honouring <c>Retry-After</c>) instead of sleeping while it holds the delivery's lease.
/// Failures are classified by whether the Connector certainly did not take the post (see <see cref="Classify"/>).
/// </summary>
internal sealed partial class TeamsAlertSender(
    IConversationStore conversations,
    [FromKeyedServices(ConnectorClient.SingleAttemptKey)] IConnectorClient connector,
    ILogger<TeamsAlertSender> logger) : IConversationAlertSender, IAlertMessageUpdater
{
    public string ChannelId => Channels.MsTeams;

    public async Task<AlertSendResult> SendAsync(AlertMessage message, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(conversationId);

        (ConversationReference? reference, string serviceUrl, AlertSendResult? problem) = await ReferenceAsync(message, conversationId, cancellationToken).ConfigureAwait(false);
        if (reference is null)
        {
            return problem!;
        }

        // A new post from the bot into the conversation: without the reference's activity id it is not a reply.
        Activity card = TeamsChatResponder.CardMessage(message.Card);
        card.ApplyConversationReference(reference with { ActivityId = null });
        try
        {
            ResourceResponse posted = await connector.SendToConversationAsync(serviceUrl, conversationId, card, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(posted.Id))
            {
                // Delivered (a 2xx), but the card cannot be updated in place later; acknowledging still works, its answer
                // is then posted as a new message.
                LogPostedWithoutId(logger, message.Alert.AlertId);
                return AlertSendResult.Sent(null);
            }

            return AlertSendResult.Sent(posted.Id);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BotAuthenticationException)
        {
            // The token is fetched before the request is built: the Connector was never called.
            return AlertSendResult.Retry("no Bot Framework token could be obtained (see the log); nothing was sent");
        }
        catch (UntrustedServiceUrlException)
        {
            return AlertSendResult.Permanent("the conversation's service URL is not on Bot:TrustedServiceUrls; nothing was sent");
        }
        catch (ConnectorException exception)
        {
            return Classify(exception);
        }
        catch (ArgumentException)
        {
            // The client refused the ids before any request (too long, a dot segment, broken UTF-16).
            return AlertSendResult.Permanent("the Teams conversation id cannot be used in a Connector call; nothing was sent");
        }
    }

    /// <summary>
    /// Replaces the posted card (<paramref name="remoteMessageId"/>, the activity id the post returned) with
    /// <see cref="AlertMessage.Card"/>: a PUT of that activity, which is idempotent, so any failure but a permanent one
    /// is simply tried again later.
    /// </summary>
    public async Task<AlertSendResult> UpdateAsync(AlertMessage message, string remoteMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(remoteMessageId);
        if (!message.Target.TryGetConversation(out _, out string? conversationId))
        {
            return AlertSendResult.Permanent("not a conversation target");
        }

        (ConversationReference? reference, string serviceUrl, AlertSendResult? problem) = await ReferenceAsync(message, conversationId, cancellationToken).ConfigureAwait(false);
        if (reference is null)
        {
            return problem!;
        }

        Activity card = TeamsChatResponder.CardMessage(message.Card);
        card.ApplyConversationReference(reference with { ActivityId = null });
        card.Id = remoteMessageId;
        try
        {
            await connector.UpdateActivityAsync(serviceUrl, conversationId, remoteMessageId, card, cancellationToken).ConfigureAwait(false);
            return AlertSendResult.Sent(remoteMessageId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (UntrustedServiceUrlException)
        {
            return AlertSendResult.Permanent("the conversation's service URL is not on Bot:TrustedServiceUrls");
        }
        catch (BotAuthenticationException)
        {
            return AlertSendResult.Retry("no Bot Framework token could be obtained (see the log)");
        }
        catch (ConnectorException exception)
        {
            // Unlike a post, an update can be repeated: only a refusal that will not change ends it.
            AlertSendResult result = Classify(exception);
            return result.Status == AlertSendStatus.PermanentFailure ? result : AlertSendResult.Retry(result.Error ?? "the update failed", result.RetryAfter);
        }
        catch (ArgumentException)
        {
            return AlertSendResult.Permanent("the Teams conversation or activity id cannot be used in a Connector call");
        }
    }

    /// <summary>
    /// Always unknown. The Bot Connector has no way to look a message up by our idempotency key: it cannot list or
    /// search a conversation's messages (that needs Microsoft Graph and a permission this bot does not hold), and an
    /// activity carries no id of our choosing the Connector would keep. So a send interrupted by a process stop is
    /// parked for a person to check rather than risk a second post.
    /// </summary>
    public Task<AlertReconcileResult> ReconcileAsync(AlertDeliveryCheck check, string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult(AlertReconcileResult.Unknown);

    /// <summary>
    /// What a failed post means for the outbox. Retry only when the Connector certainly did not take the post: it
    /// could not be reached (connection refused, no such host, TLS failed), or it refused the request (429 Throttled,
    /// honouring its Retry-After through the outbox; 503 Unavailable; 408; 412 PreconditionFailed, which Teams
    /// documents as retryable). Permanent for the other 4xx: 400 bad payload, 401 the bot's credentials, 403 the bot was
    /// removed, blocked or disabled, 404 the conversation is gone, 413 too large. Unknown for 500, 502, 504 (which can
    /// follow a stored post), a timeout, or a connection that broke after the post was sent.
    /// </summary>
    internal static AlertSendResult Classify(ConnectorException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.StatusCode is not { } status)
        {
            return exception.InnerException is HttpRequestException
            {
                HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError,
            } failure
                ? AlertSendResult.Retry($"could not connect to the Teams Connector ({failure.HttpRequestError}); nothing was sent")
                : AlertSendResult.Unknown(
                    "the Teams Connector did not answer (timed out or the connection broke after the post was sent); it may have posted the alert, so it is not sent again");
        }

        int code = (int)status;
        string answered = string.Create(CultureInfo.InvariantCulture, $"the Teams Connector answered HTTP {code}")
            + (string.IsNullOrEmpty(exception.ErrorCode) ? string.Empty : " " + exception.ErrorCode);
        return code switch
        {
            429 or 503 or 408 or 412 => AlertSendResult.Retry(answered, exception.RetryAfter),
            401 => AlertSendResult.Permanent(answered + ": the bot's app id or secret was not accepted"),
            403 => AlertSendResult.Permanent(answered + ": the bot may not post there (removed from the conversation, blocked, or disabled by an admin)"),
            404 => AlertSendResult.Permanent(answered + ": the conversation no longer exists"),
            >= 400 and < 500 => AlertSendResult.Permanent(answered),
            _ => AlertSendResult.Unknown(answered + "; the post may have been stored, so it is not sent again"),
        };
    }

    /// <summary>The stored reference and service URL of the conversation, or why there is none (nothing was sent).</summary>
    private async Task<(ConversationReference? Reference, string ServiceUrl, AlertSendResult? Problem)> ReferenceAsync(
        AlertMessage message, string conversationId, CancellationToken cancellationToken)
    {
        StoredConversation? stored;
        try
        {
            stored = await conversations.GetAsync(ChannelId, conversationId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Nothing was sent yet: whatever the store's problem, the delivery can be tried again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogStoreFailed(logger, exception, message.Alert.AlertId);
            return (null, string.Empty, AlertSendResult.Retry("the stored Teams conversation reference could not be read; nothing was sent"));
        }

        if (stored is null)
        {
            return (null, string.Empty, AlertSendResult.Permanent(
                "the bot has no stored reference for this Teams conversation (never installed there, or removed); install the bot in it"));
        }

        if (Reference(stored) is not { } reference)
        {
            return (null, string.Empty, AlertSendResult.Permanent("the stored reference of this Teams conversation is unreadable; reinstall the bot in it"));
        }

        return (reference, string.IsNullOrEmpty(reference.ServiceUrl) ? stored.ServiceUrl : reference.ServiceUrl, null);
    }

    private static ConversationReference? Reference(StoredConversation stored)
    {
        try
        {
            ConversationReference? reference = JsonSerializer.Deserialize<ConversationReference>(stored.ReferenceJson, BotJson.Options);
            return reference?.Conversation is null ? null : reference;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId}: the stored Teams conversation reference could not be read")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string alertId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} was posted to Teams but the Connector returned no activity id; its card cannot be updated in place")]
    private static partial void LogPostedWithoutId(ILogger logger, string alertId);
}
