using System.Buffers;
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

    /// <summary>Room for a length or a Unix time in seconds, with its sign.</summary>
    private const int MaxLengthPrefix = 20;

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
    /// no two different records can produce the same text: <c>len:value|</c> each (<c>-1:|</c> for an absent one),
    /// UTF-8, SHA-256, as <c>c1:</c> and lower-case hex. Stored fingerprints depend on exactly this text.
    /// </summary>
    /// <remarks>Built in one pooled buffer: the URL monitor fingerprints every click it reads, and the string
    /// builder, upper-cased copy and byte array this took were a tenth of its allocations.</remarks>
    public static string FingerprintOf(MimecastClickLog click)
    {
        ArgumentNullException.ThrowIfNull(click);
        int capacity = 7 * (MaxLengthPrefix + 2) + click.UserEmailAddress.Length + click.Url.Length
            + (click.MessageId?.Length ?? 0) + (click.CreationMethod?.Length ?? 0) + (click.Action?.Length ?? 0) + (click.ScanResult?.Length ?? 0);
        char[] text = ArrayPool<char>.Shared.Rent(capacity);
        try
        {
            Span<char> date = stackalloc char[MaxLengthPrefix];
            click.Date.ToUnixTimeSeconds().TryFormat(date, out int dateLength, provider: CultureInfo.InvariantCulture);
            int length = 0;
            Append(text, ref length, date[..dateLength]);
            int user = Prefix(text, ref length, click.UserEmailAddress.Length);
            length += click.UserEmailAddress.AsSpan().ToUpperInvariant(text.AsSpan(user));
            text[length++] = '|';
            Append(text, ref length, click.Url);
            Append(text, ref length, click.MessageId);
            Append(text, ref length, click.CreationMethod);
            Append(text, ref length, click.Action);
            Append(text, ref length, click.ScanResult);
            return Hash(text.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(text);
        }
    }

    private static void Append(char[] text, ref int length, ReadOnlySpan<char> value) => Append(text, ref length, value, present: true);

    private static void Append(char[] text, ref int length, string? value) => Append(text, ref length, value, present: value is not null);

    private static void Append(char[] text, ref int length, ReadOnlySpan<char> value, bool present)
    {
        int at = Prefix(text, ref length, present ? value.Length : -1);
        value.CopyTo(text.AsSpan(at));
        length = at + value.Length;
        text[length++] = '|';
    }

    /// <summary>Writes <c>len:</c> and returns where the value goes.</summary>
    private static int Prefix(char[] text, ref int length, int valueLength)
    {
        valueLength.TryFormat(text.AsSpan(length), out int written, provider: CultureInfo.InvariantCulture);
        length += written;
        text[length++] = ':';
        return length;
    }

    private static string Hash(ReadOnlySpan<char> text)
    {
        int byteCount = Encoding.UTF8.GetByteCount(text);
        byte[] bytes = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            int written = Encoding.UTF8.GetBytes(text, bytes);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes.AsSpan(0, written), digest);
            Span<char> fingerprint = stackalloc char[3 + (2 * SHA256.HashSizeInBytes)];
            "c1:".CopyTo(fingerprint);
            Convert.TryToHexStringLower(digest, fingerprint[3..], out _);
            return new string(fingerprint);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static string? Bound(string? value, int max) => FieldText.TruncateOrNull(value, max);
}
