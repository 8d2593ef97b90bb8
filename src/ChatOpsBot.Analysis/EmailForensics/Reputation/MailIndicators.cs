using System.Net;
using ChatOpsBot.Analysis.EmailForensics.Headers;

namespace ChatOpsBot.Analysis.EmailForensics.Reputation;

/// <summary>
/// The indicators of an <see cref="EmailReport"/> worth a reputation lookup, most telling first (the order a rationed
/// lookup budget is spent in): attachment hashes, then files inside attached archives, then URLs, then the IPs that
/// handed the message over. Each kind is capped (<see cref="MaxHashes"/>, <see cref="MaxUrls"/>, <see cref="MaxIps"/>)
/// so one message with hundreds of links cannot spend a day's budget. Pure: no lookups happen here.
/// </summary>
public static class MailIndicators
{
    public const int MaxHashes = 10;
    public const int MaxUrls = 15;
    public const int MaxIps = 3;

    /// <summary>Longest URL looked up; longer ones are left out rather than cut (a cut URL is another URL).</summary>
    public const int MaxUrlChars = 2048;

    private const string OpaqueRewriter = "mimecast";

    /// <param name="report">The analysis of the message.</param>
    /// <param name="decodedRewrites">Originals of opaque rewritten URLs (Mimecast <c>/s/</c> links) decoded online
    /// by the caller, keyed by the rewritten URL; such a URL is looked up by its original, and left out without one (its
    /// token says nothing to a reputation source, and would disclose the link).</param>
    public static IReadOnlyList<MailIndicator> Collect(EmailReport report, IReadOnlyDictionary<string, string>? decodedRewrites = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var indicators = new List<MailIndicator>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        int hashes = 0;
        foreach (AttachmentSummary attachment in report.Attachments)
        {
            if (hashes < MaxHashes && Add(indicators, seen, IndicatorKind.FileHash, Sha256(attachment.Sha256), $"attachment {attachment.Filename ?? "(no name)"}"))
            {
                hashes++;
            }
        }

        foreach (AttachmentSummary attachment in report.Attachments)
        {
            foreach (ArchiveMemberSummary member in attachment.ArchiveMembers)
            {
                if (hashes < MaxHashes && Add(indicators, seen, IndicatorKind.FileHash, Sha256(member.Sha256), $"file {member.Name} in {attachment.Filename ?? "(no name)"}"))
                {
                    hashes++;
                }
            }
        }

        int urls = 0;
        foreach (UrlSummary url in report.Urls)
        {
            if (urls < MaxUrls && Add(indicators, seen, IndicatorKind.Url, Destination(url, decodedRewrites), UrlContext(url)))
            {
                urls++;
            }
        }

        int ips = 0;
        foreach ((string ip, string context) in SenderSideIps(report))
        {
            if (ips < MaxIps && Add(indicators, seen, IndicatorKind.IpAddress, ip, context))
            {
                ips++;
            }
        }

        return indicators;
    }

    private static bool Add(List<MailIndicator> indicators, HashSet<string> seen, IndicatorKind kind, string? value, string context)
    {
        if (value is null || !seen.Add($"{kind}:{value}"))
        {
            return false;
        }

        indicators.Add(new MailIndicator(kind, value, context));
        return true;
    }

    private static string? Sha256(string? hash) =>
#pragma warning disable CA1308 // Hashes are compared and looked up in lower-case hex.
        hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit) ? hash.ToLowerInvariant() : null;
#pragma warning restore CA1308

    private static string? Destination(UrlSummary url, IReadOnlyDictionary<string, string>? decodedRewrites)
    {
        string? candidate = url.DecodedTarget;
        if (candidate is null && string.Equals(url.Rewriter, OpaqueRewriter, StringComparison.Ordinal))
        {
            candidate = decodedRewrites?.GetValueOrDefault(url.Url);
            if (candidate is null)
            {
                return null;
            }
        }

        candidate ??= url.Url;
        return candidate.Length <= MaxUrlChars
            && Uri.TryCreate(candidate, UriKind.Absolute, out Uri? uri)
            && uri.Scheme is "http" or "https" or "ftp"
            && !candidate.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
                ? candidate
                : null;
    }

    private static string UrlContext(UrlSummary url)
    {
        string where = url.Attachment is { } attachment ? $"URL in {attachment}" : $"URL ({url.Source})";
        return url.DecodedTarget is not null || url.Rewriter is not null ? $"{where}, behind {url.Rewriter ?? "a rewriter"}" : where;
    }

    /// <summary>
    /// The IPs that handed the message over, oldest hop first (nearest the sender), then X-Originating-IP. The
    /// receiving organisation's own relays sit at the newest hops, so looking at the oldest first spends lookups on the
    /// sender's side.
    /// </summary>
    private static IEnumerable<(string Ip, string Context)> SenderSideIps(EmailReport report)
    {
        foreach (ReceivedHop hop in report.ReceivedHops.OrderBy(h => h.Hop))
        {
            if (PublicIp(hop.FromIp) is { } ip)
            {
                yield return (ip, $"sending IP of hop {hop.Hop}");
            }
        }

        if (PublicIp(report.XOriginatingIp) is { } originating)
        {
            yield return (originating, "X-Originating-IP");
        }
    }

    private static string? PublicIp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || !IPAddress.TryParse(text.Trim().Trim('[', ']'), out IPAddress? address))
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IpClassifier.Classify(address) == IpScope.Public ? address.ToString() : null;
    }
}
