using System.Security.Cryptography;
using System.Text;

namespace ChatOpsBot.Alerts;

/// <summary>What an alert is about; also what a conversation subscribes to.</summary>
public static class AlertKinds
{
    /// <summary>A URL someone clicked and Mimecast allowed is now malicious (the URL monitor and its re-check).</summary>
    public const string ClickedUrlMalicious = "clicked-url-malicious";

    /// <summary>A new TTP attachment, impersonation or URL event (the threat feed).</summary>
    public const string ThreatFeed = "threat-feed";

    /// <summary>The verdict on a message users reported (the report mailbox) or a mail-flow rule sent (the intake webhook).</summary>
    public const string MailReport = "mail-report";

    /// <summary>Subscription to every kind.</summary>
    public const string All = "all";

    public static IReadOnlyList<string> Subscribable { get; } = [ClickedUrlMalicious, ThreatFeed, MailReport, All];

    public static bool IsSubscribable(string? kind) => kind is not null && Subscribable.Contains(kind, StringComparer.Ordinal);
}

/// <summary>Alert states. An acknowledged or snoozed alert suppresses (and counts) repeats.</summary>
public static class AlertStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Snoozed = "snoozed";
}

/// <summary>Outbox row states, one row per alert and target.</summary>
public static class DeliveryStatuses
{
    /// <summary>Waiting for its next attempt.</summary>
    public const string Pending = "pending";

    /// <summary>Claimed and recorded before the channel is called; the outcome is not recorded yet.</summary>
    public const string Sending = "sending";

    public const string Sent = "sent";

    /// <summary>The channel refused it for good (bad address, no such conversation, no channel for the target).</summary>
    public const string Failed = "failed";

    /// <summary>Not delivered before <see cref="AlertsOptions.DeliveryDeadline"/>.</summary>
    public const string Expired = "expired";

    /// <summary>A send was in flight when its process died and the channel cannot tell whether it arrived: never
    /// sent again (no double post), reported in <c>monitor status</c> for a person to check.</summary>
    public const string OutcomeUnknown = "unknown";
}

/// <summary>One earlier click on the URL that is now malicious: who is exposed.</summary>
public sealed record ExposedClick(
    DateTimeOffset ClickedAt,
    string User,
    string? Sender,
    string? Subject,
    string Url,
    string? MessageId);

/// <summary>
/// Everything an alert shows, stored as JSON in <c>alerts.payload_json</c>. All text in it came from Mimecast or mail
/// and is hostile: renderers escape and defang it.
/// </summary>
public sealed record AlertPayload
{
    public required string Kind { get; init; }

    /// <summary>What happened, one line of our own words.</summary>
    public required string Headline { get; init; }

    /// <summary>How it was found: "Mimecast URL Protect click", "VirusTotal re-check", "Mimecast TTP attachment log".</summary>
    public required string DetectedBy { get; init; }

    /// <summary>A number-only detail of the detection, e.g. "7/70 engines malicious".</summary>
    public string? DetectionDetail { get; init; }

    /// <summary>Seed 002's alert type.</summary>
    public string? AlertType { get; init; }

    public string? TechniqueId { get; init; }

    public string? TechniqueName { get; init; }

    public string? Url { get; init; }

    public string? Sender { get; init; }

    public string? Recipient { get; init; }

    public string? Subject { get; init; }

    public string? MessageId { get; init; }

    /// <summary>Attachment name and hash, impersonation definition, and the like.</summary>
    public string? Detail { get; init; }

    /// <summary>The earlier clickers, newest first, at most <see cref="MonitorOptions.MaxExposedListed"/>.</summary>
    public IReadOnlyList<ExposedClick> Exposed { get; init; } = [];

    /// <summary>How many earlier clicks there are in all.</summary>
    public int ExposedTotal { get; init; }

    /// <summary>Events folded into this alert (a burst of the same sender or URL).</summary>
    public int EventCount { get; init; } = 1;

    public DateTimeOffset FirstEventAt { get; init; }

    public DateTimeOffset LastEventAt { get; init; }

    /// <summary>
    /// A card built when the alert was raised (<see cref="ChatOpsBot.Cards.CardJson"/>), posted instead of the generic
    /// alert card: the forensic verdict card of a reported message. Built by our own card builders, which escape every
    /// string from mail; the plain fields above still describe the alert for mail targets and <c>monitor status</c>.
    /// </summary>
    public string? CardJson { get; init; }
}

/// <summary>An alert as stored, with its state.</summary>
public sealed record AlertRecord(
    string AlertId,
    string Kind,
    string SubjectKey,
    string Status,
    AlertPayload Payload,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset ExpiresAt,
    AlertActor? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    AlertActor? SnoozedBy,
    DateTimeOffset? SnoozedAt,
    DateTimeOffset? SnoozedUntil,
    int SuppressedRepeats,
    DateTimeOffset? LastRepeatAt)
{
    public bool IsSnoozedAt(DateTimeOffset now) => SnoozedUntil is { } until && until > now;

    /// <summary>
    /// The version of the alert a card rendered at <paramref name="now"/> shows: its last change, or the end of its
    /// snooze once that has passed (the card then loses its "Snoozed until" line without the alert row changing).
    /// </summary>
    public DateTimeOffset ShownVersionAt(DateTimeOffset now) =>
        SnoozedUntil is { } until && until <= now && until > UpdatedAt ? until : UpdatedAt;
}

/// <summary>Who pressed a button: a stable id (Entra object id, Slack user id) and a display name for the card.</summary>
public sealed record AlertActor(string Id, string? Name);

/// <summary>Alert ids are opaque and derived from what the alert is about and when it started, so they carry no mail
/// text (they travel in button data) and the same episode always has the same id.</summary>
internal static class AlertIds
{
    public const string Prefix = "alt-";
    public const int MaxLength = 64;

    public static string For(string kind, string subjectKey, long raisedAtMilliseconds)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{subjectKey}\n{raisedAtMilliseconds}"));
        return Prefix + Convert.ToHexStringLower(digest.AsSpan(0, 12));
    }

    public static bool LooksValid(string? alertId) =>
        alertId is { Length: > 4 and <= MaxLength } && alertId.StartsWith(Prefix, StringComparison.Ordinal)
        && alertId.AsSpan(Prefix.Length).ContainsAnyExcept(s_lowerHex) is false;

    private static readonly System.Buffers.SearchValues<char> s_lowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
