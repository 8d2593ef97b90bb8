using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Alerts.Monitor;

/// <summary>How the monitor reads a click: one a user made and Mimecast let through, one Mimecast now calls
/// malicious, or anything else (entry scans, warnings, clean blocks).</summary>
internal static class ClickDispositions
{
    public const string Allowed = "allowed";
    public const string Malicious = "malicious";
    public const string Other = "other";

    public static string Of(MimecastClickLog click)
    {
        if (string.Equals(click.ScanResult, "malicious", StringComparison.OrdinalIgnoreCase))
        {
            return Malicious;
        }

        return click.IsAllowedUserClick ? Allowed : Other;
    }
}

/// <summary>A click as <c>url_clicks</c> holds it. Text fields are bounded; the URL is kept whole up to
/// <see cref="UrlNormalizer.MaxUrlLength"/>.</summary>
internal sealed record StoredClick(
    string Fingerprint,
    DateTimeOffset ClickedAt,
    string Url,
    string NormalizedUrl,
    string? RegistrableDomain,
    string UserEmail,
    string? SenderEmail,
    string? Subject,
    string? MessageId,
    string? Action,
    string? ScanResult,
    string? CreationMethod,
    string? Route,
    string? Category,
    string? TtpDefinition,
    string? SendingIp,
    string Disposition)
{
    public const int MaxFieldLength = 1024;

    public static StoredClick From(MimecastClickLog click, UrlNormalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(click);
        string url = Bound(click.Url, UrlNormalizer.MaxUrlLength)!;
        (string normalized, string? domain) = normalizer.Normalize(url);
        return new StoredClick(
            FingerprintOf(click),
            click.Date,
            url,
            normalized,
            domain,
            Bound(click.UserEmailAddress, MaxFieldLength)!,
            Bound(click.FromUserEmailAddress, MaxFieldLength),
            Bound(click.Subject, MaxFieldLength),
            Bound(click.MessageId, MaxFieldLength),
            Bound(click.Action, 64),
            Bound(click.ScanResult, 64),
            Bound(click.CreationMethod, 64),
            Bound(click.Route, 64),
            Bound(click.Category, 256),
            Bound(click.TtpDefinition, 256),
            Bound(click.SendingIp, 64),
            ClickDispositions.Of(click));
    }

    public ExposedClick ToExposed() => new(ClickedAt, UserEmail, SenderEmail, Subject, Url, MessageId);

    /// <summary>
    /// What identifies one Mimecast click record, which has no id of its own: its time, clicker, URL, message and
    /// verdict. Two records equal in all of these are indistinguishable and count as one. Fields are length-prefixed so
    /// no two different records can produce the same text.
    /// </summary>
    public static string FingerprintOf(MimecastClickLog click)
    {
        var text = new StringBuilder(256);
        Append(text, click.Date.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Append(text, click.UserEmailAddress.ToUpperInvariant());
        Append(text, click.Url);
        Append(text, click.MessageId);
        Append(text, click.CreationMethod);
        Append(text, click.Action);
        Append(text, click.ScanResult);
        return "c1:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void Append(StringBuilder text, string? value) =>
        text.Append((value?.Length ?? -1).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');

    private static string? Bound(string? value, int max) => FieldText.TruncateOrNull(value, max);
}
