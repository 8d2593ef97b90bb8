using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Commands.Auditing;

/// <summary>
/// Removes what looks like a credential before text reaches the audit trail: <c>key=value</c> and <c>key: value</c>
/// pairs whose key names a secret, bearer tokens and JWTs, well-known token formats (Slack, GitHub, AWS, Google,
/// OpenAI-style), and any long run of base64 or hex (API keys, signatures). It errs towards redacting: an audit entry
/// that lost a hash is an inconvenience, one that kept a key is an incident.
/// </summary>
public static partial class SecretRedactor
{
    public const string Marker = "[REDACTED]";

    /// <summary>Shortest base64/hex run treated as a secret; shorter ones are ids and words.</summary>
    public const int MinSecretRunLength = 32;

    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string result = SecretPair().Replace(text, m => m.Groups["key"].Value + m.Groups["sep"].Value + Marker);
        result = Bearer().Replace(result, m => m.Groups["scheme"].Value + " " + Marker);
        result = KnownToken().Replace(result, Marker);
        result = Jwt().Replace(result, Marker);
        return LongRun().Replace(result, m => IsGuid(m.Value) ? m.Value : Marker);
    }

    /// <summary>Redacts, then makes the text one printable line of at most <paramref name="maxChars"/> characters.</summary>
    public static string ForAudit(string text, int maxChars) => PrintableText.OneLine(Redact(text), maxChars);

    private static bool IsGuid(string value) => value.Length == 36 && Guid.TryParseExact(value, "D", out _);

    [GeneratedRegex(
        @"(?<key>\b[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credential|authorization|auth|signature|sig|session|cookie|key)\b)(?<sep>\s*[:=]\s*)(?:""[^""]*""|'[^']*'|(?:(?:Bearer|Basic|Token)\s+)?\S+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SecretPair();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Bearer();

    [GeneratedRegex(
        @"\b(?:xox[abposrce]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|sk-[A-Za-z0-9_-]{20,})",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex KnownToken();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*)?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Jwt();

    // A run of base64/base64url/hex characters with at least one digit and one letter: keys, signatures, hashes.
    [GeneratedRegex(@"(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*[0-9])(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{32,}={0,2}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LongRun();
}
