using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Analysis.EmailForensics.Headers;

namespace ChatOpsBot.Integrations.VirusTotal;

/// <summary>A query checked and put in canonical form: the VirusTotal path to GET, and the cache key. Indicators come
/// from hostile mail, so anything that is not plainly a hash, URL, domain or public IP is refused before any request.</summary>
internal sealed record ReputationIndicator(ReputationQuery Query, string Path, string CacheKey)
{
    public const int MaxUrlChars = 8192;
    private const string CacheKeyPrefix = "vt:v1:";

    /// <summary>The canonical indicator, or the reason it is not looked up.</summary>
    public static (ReputationIndicator? Indicator, string? Problem) Create(ReputationQuery query, int maxResolutions)
    {
        ArgumentNullException.ThrowIfNull(query);
        string value = query.Value?.Trim() ?? "";
        switch (query.Kind)
        {
            case ReputationIndicatorKind.FileHash:
                if (value.Length is not (32 or 40 or 64) || !value.All(char.IsAsciiHexDigit))
                {
                    return (null, "not an MD5, SHA-1 or SHA-256 hash");
                }

#pragma warning disable CA1308 // VirusTotal ids and our cache keys are lower-case hex.
                string hash = value.ToLowerInvariant();
#pragma warning restore CA1308
                return (new ReputationIndicator(query, "files/" + hash, CacheKeyPrefix + "file:" + hash), null);

            case ReputationIndicatorKind.Url:
                if (value.Length == 0 || value.Length > MaxUrlChars || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
                    || !Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https" or "ftp"))
                {
                    return (null, "not an http, https or ftp URL");
                }

                // The cache key is a hash, not the URL: a persistent cache must not keep the query strings of mail.
                string urlKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
                return (new ReputationIndicator(query, "urls/" + VirusTotalUrlId.For(value), CacheKeyPrefix + "url:" + urlKey), null);

            case ReputationIndicatorKind.Domain:
                return CanonicalDomain(value) is string domain
                    ? (new ReputationIndicator(query, "domains/" + domain, CacheKeyPrefix + "domain:" + domain), null)
                    : (null, "not a domain name");

            case ReputationIndicatorKind.IpAddress:
            case ReputationIndicatorKind.IpResolutions:
                if (!TryParseIp(value, out IPAddress? address))
                {
                    return (null, "not an IP address");
                }

                if (IpClassifier.Classify(address) != IpScope.Public)
                {
                    return (null, "not a public IP address");
                }

                string ip = address.ToString();
                return query.Kind == ReputationIndicatorKind.IpAddress
                    ? (new ReputationIndicator(query, "ip_addresses/" + ip, CacheKeyPrefix + "ip:" + ip), null)
                    : (new ReputationIndicator(
                        query,
                        "ip_addresses/" + ip + "/resolutions?limit=" + maxResolutions.ToString(CultureInfo.InvariantCulture),
                        CacheKeyPrefix + "ip-resolutions:" + ip),
                        null);

            default:
                return (null, "unknown indicator kind");
        }
    }

    private static bool TryParseIp(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        // IPAddress.TryParse also reads "1" or "0x7f.1" as IPv4; an address from mail is only a dotted quad or IPv6.
        bool dottedQuad = value.Count(c => c == '.') == 3 && value.All(c => char.IsAsciiDigit(c) || c == '.');
        bool ipv6 = value.Contains(':', StringComparison.Ordinal) && !value.Contains('%', StringComparison.Ordinal);
        if ((!dottedQuad && !ipv6) || !IPAddress.TryParse(value, out IPAddress? parsed))
        {
            return false;
        }

        address = parsed.AddressFamily == AddressFamily.InterNetworkV6 && parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
        return true;
    }

    private static string? CanonicalDomain(string value)
    {
        string name = value.TrimEnd('.');
        if (name.Length == 0 || name.Length > 253)
        {
            return null;
        }

        string ascii;
        try
        {
            ascii = new IdnMapping().GetAscii(name);
        }
        catch (ArgumentException)
        {
            return null;
        }

#pragma warning disable CA1308 // DNS names are compared and sent in lower case.
        ascii = ascii.ToLowerInvariant();
#pragma warning restore CA1308
        string[] labels = ascii.Split('.');
        if (labels.Length < 2 || ascii.Length > 253)
        {
            return null;
        }

        foreach (string label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            {
                return null;
            }
        }

        return ascii;
    }
}

/// <summary>VirusTotal's URL identifier: the URL in unpadded base64url (RFC 4648 §5), so it is safe in a path.</summary>
internal static class VirusTotalUrlId
{
    public static string For(string url) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(url)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
