using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChatOpsBot.Slack.Inbound;

/// <summary>Why a request was not accepted as Slack's.</summary>
public enum SlackSignatureFailure
{
    None,
    MissingHeaders,
    MalformedTimestamp,
    StaleTimestamp,
    UnsupportedVersion,
    MalformedSignature,
    Mismatch,
}

/// <summary>
/// Slack's request signing (teams-and-slack.md B6.2): <c>X-Slack-Signature: v0=hex(HMAC-SHA256(signing secret,
/// "v0:{X-Slack-Request-Timestamp}:{raw body}"))</c>, compared in constant time, with the timestamp within five
/// minutes of our clock either way.
/// </summary>
public static class SlackSignature
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";
    public const string Version = "v0";

    /// <summary>How far the request timestamp may be from our clock, past or future (python-slack-sdk's abs form).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private const int SignatureHexLength = 64;
    private const int MaxTimestampDigits = 12;

    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The <c>X-Slack-Signature</c> value for a body (tests and fakes sign with it).</summary>
    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        ArgumentNullException.ThrowIfNull(timestamp);
        return Version + "=" + Convert.ToHexStringLower(Mac(signingSecret, timestamp, body));
    }

    /// <summary>
    /// Only the timestamp: cheap enough to refuse a stale or unsigned request before its body is read.
    /// </summary>
    public static SlackSignatureFailure CheckHeaders(string? timestampHeader, string? signatureHeader, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader))
        {
            return SlackSignatureFailure.MissingHeaders;
        }

        if (timestampHeader.Length > MaxTimestampDigits || !timestampHeader.All(char.IsAsciiDigit)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return SlackSignatureFailure.MalformedTimestamp;
        }

        long skew = Math.Abs(now.ToUnixTimeSeconds() - seconds);
        if (skew > (long)MaxClockSkew.TotalSeconds)
        {
            return SlackSignatureFailure.StaleTimestamp;
        }

        int separator = signatureHeader.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0 || !signatureHeader.AsSpan(0, separator).SequenceEqual(Version))
        {
            return SlackSignatureFailure.UnsupportedVersion;
        }

        return signatureHeader.Length - separator - 1 == SignatureHexLength && signatureHeader.AsSpan(separator + 1).ContainsAnyExcept(s_hexDigits) is false
            ? SlackSignatureFailure.None
            : SlackSignatureFailure.MalformedSignature;
    }

    /// <summary>Checks the headers and the HMAC over the exact bytes received.</summary>
    public static SlackSignatureFailure Verify(string signingSecret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        SlackSignatureFailure headers = CheckHeaders(timestampHeader, signatureHeader, now);
        if (headers != SlackSignatureFailure.None)
        {
            return headers;
        }

        byte[] provided = Convert.FromHexString(signatureHeader!.AsSpan(Version.Length + 1));
        byte[] expected = Mac(signingSecret, timestampHeader!, body);
        return CryptographicOperations.FixedTimeEquals(expected, provided) ? SlackSignatureFailure.None : SlackSignatureFailure.Mismatch;
    }

    private static byte[] Mac(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(signingSecret));
        hmac.AppendData(Encoding.ASCII.GetBytes($"{Version}:{timestamp}:"));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
