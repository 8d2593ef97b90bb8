using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Alerts.Delivery;

/// <summary>
/// A way to deliver alerts to one kind of <see cref="AlertTarget"/>. The outbox calls <see cref="SendAsync"/> at most
/// once per claim; a Teams implementation looks up the stored conversation reference of
/// <c>conversation:&lt;channel id&gt;:&lt;conversation id&gt;</c> (<c>IConversationStore</c>), posts
/// <see cref="AlertMessage.Card"/> through the connector, and returns the activity id so the card can be updated later.
/// </summary>
public interface IAlertChannel
{
    /// <summary>The <see cref="AlertTarget.Scheme"/> this channel delivers (<c>mail</c>, <c>conversation</c>).</summary>
    string Scheme { get; }

    /// <summary>
    /// Sends one alert to one target. Must classify its failure honestly: <see cref="AlertSendStatus.RetryableFailure"/>
    /// and <see cref="AlertSendStatus.PermanentFailure"/> only when the target certainly did not get it;
    /// <see cref="AlertSendStatus.OutcomeUnknown"/> when it may have. Throws only <see cref="OperationCanceledException"/>
    /// when cancelled; anything else thrown counts as an unknown outcome and is never retried.
    /// </summary>
    Task<AlertSendResult> SendAsync(AlertMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// A send was in flight when its process died. Say whether it arrived (e.g. by looking for
    /// <see cref="AlertMessage.IdempotencyKey"/> on the remote side), or <see cref="AlertReconcileStatus.Unknown"/>,
    /// which parks the delivery for a person rather than risk a second post.
    /// </summary>
    Task<AlertReconcileResult> ReconcileAsync(AlertDeliveryCheck check, CancellationToken cancellationToken);
}

/// <summary>
/// A channel (or a chat platform's sender) whose posts can be edited afterwards, so a delivered alert's card can follow
/// the alert: a burst that grew, an acknowledgement or snooze made elsewhere. An update replaces the message
/// <paramref name="remoteMessageId"/> (what <see cref="IAlertChannel.SendAsync"/> returned) and never posts a new one,
/// so repeating it is harmless. <see cref="AlertSendStatus.Sent"/>: updated; <see cref="AlertSendStatus.PermanentFailure"/>:
/// it never will be (message or conversation gone); anything else is tried again on a later run.
/// </summary>
public interface IAlertMessageUpdater
{
    Task<AlertSendResult> UpdateAsync(AlertMessage message, string remoteMessageId, CancellationToken cancellationToken);
}

/// <summary>One alert for one target. <see cref="IdempotencyKey"/> is the same for every attempt of this delivery.</summary>
public sealed record AlertMessage(AlertRecord Alert, AlertTarget Target, string IdempotencyKey, AdaptiveCard Card, int Attempt);

/// <summary>A send whose outcome was not recorded (its process died mid-send).</summary>
public sealed record AlertDeliveryCheck(string AlertId, AlertTarget Target, string IdempotencyKey, DateTimeOffset? SendStartedAt);

public enum AlertSendStatus
{
    Sent,

    /// <summary>Certainly not delivered, worth trying again later (server busy, connection refused, throttled).</summary>
    RetryableFailure,

    /// <summary>Certainly not delivered and never will be (bad address, unknown conversation).</summary>
    PermanentFailure,

    /// <summary>May or may not have been delivered; not retried.</summary>
    OutcomeUnknown,
}

public sealed record AlertSendResult(AlertSendStatus Status, string? RemoteMessageId, string? Error)
{
    /// <summary>
    /// How long the target asked to be left alone (a 429's <c>Retry-After</c>). The outbox schedules the next attempt
    /// no sooner, up to <see cref="AlertsOptions.RetryMaxDelay"/>; a channel never sleeps on it itself.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    public static AlertSendResult Sent(string? remoteMessageId = null) => new(AlertSendStatus.Sent, remoteMessageId, null);

    public static AlertSendResult Retry(string error, TimeSpan? retryAfter = null) =>
        new(AlertSendStatus.RetryableFailure, null, error) { RetryAfter = retryAfter };

    public static AlertSendResult Permanent(string error) => new(AlertSendStatus.PermanentFailure, null, error);

    public static AlertSendResult Unknown(string error) => new(AlertSendStatus.OutcomeUnknown, null, error);
}

public enum AlertReconcileStatus
{
    Delivered,
    NotDelivered,
    Unknown,
}

public sealed record AlertReconcileResult(AlertReconcileStatus Status, string? RemoteMessageId = null)
{
    public static AlertReconcileResult Unknown { get; } = new(AlertReconcileStatus.Unknown);
}

internal static class IdempotencyKeys
{
    /// <summary><c>chatopsbot.&lt;alert id&gt;.&lt;target hash&gt;</c>: stable per delivery, free of mail text, safe in a Message-ID.</summary>
    public static string For(string alertId, string target) =>
        "chatopsbot." + alertId + "." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(target)).AsSpan(0, 8));
}
