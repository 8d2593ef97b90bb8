using System.Globalization;
using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.EmailForensics.Reputation;

namespace ChatOpsBot.Cli.AnalyzeEmail;

/// <summary>The analyst summary: verdict first, then identity, authentication, hops, IPs, URLs (defanged), attachments, findings.</summary>
internal static class EmailReportTextRenderer
{
    public static string Render(EmailReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        CultureInfo inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"Verdict: {report.Verdict.ToString().ToUpperInvariant()} (score {report.Score}/100)");
        text.AppendLine(LookupLine(report));
        if (report.Forwarded && report.Forward is { } forward)
        {
            string how = forward.Kind == "inline" ? $"inline forward ({forward.Client})" : "forwarded as an attachment";
            text.AppendLine(inv, $"Forwarded: {how}; reported by {SafeText.Clean(Address(report.Reporter))}");
            if (forward.Unrecoverable.Count > 0)
            {
                text.AppendLine(inv, $"Not recoverable from an inline forward: {string.Join(", ", forward.Unrecoverable)}");
            }

            if (forward.OtherCandidates > 0)
            {
                text.AppendLine(inv, $"Other forwarded messages not analysed: {forward.OtherCandidates}");
            }
        }

        text.AppendLine();
        Field(text, "Subject", report.Subject);
        Field(text, "From", Address(report.From));
        Field(text, "Sender", report.Sender is null ? null : Address(report.Sender));
        Field(text, "Reply-To", Addresses(report.ReplyTo));
        Field(text, "Return-Path", report.ReturnPath);
        Field(text, "To", Addresses(report.To));
        Field(text, "Cc", Addresses(report.Cc));
        Field(text, "Date", report.Date?.ToString("yyyy-MM-dd HH:mm:ss zzz", inv) ?? report.Forward?.QuotedDate);
        Field(text, "Message-ID", report.MessageId);
        Field(text, "X-Mailer", report.XMailer);
        Field(text, "User-Agent", report.UserAgent);
        Field(text, "X-Originating-IP", report.XOriginatingIp is null ? null : Defang.Ip(report.XOriginatingIp));

        AuthenticationSummary auth = report.AuthResults;
        text.AppendLine();
        text.AppendLine(inv, $"Authentication ({auth.Source}{(auth.TrustedAuthservId is null ? string.Empty : $", authserv-id {SafeText.Clean(auth.TrustedAuthservId)}")}):");
        text.AppendLine(inv, $"  SPF      {Check(auth.Spf)}");
        text.AppendLine(inv, $"  DKIM     {(auth.Dkim.Count == 0 ? "-" : string.Join("; ", auth.Dkim.Select(Check)))}");
        text.AppendLine(inv, $"  DMARC    {Check(auth.Dmarc)}");
        text.AppendLine(inv, $"  compauth {Check(auth.Compauth)}");
        if (auth.Ignored.Count > 0)
        {
            text.AppendLine(inv, $"  ignored: {auth.Ignored.Count} untrusted Authentication-Results header(s)");
        }

        text.AppendLine();
        text.AppendLine(inv, $"Received hops (oldest first): {report.ReceivedHops.Count}");
        foreach (ReceivedHop hop in report.ReceivedHops)
        {
            string from = hop.FromHost is null && hop.FromIp is null ? "?" : $"{SafeText.Clean(hop.FromHost)}{(hop.FromIp is null ? string.Empty : $" [{Defang.Ip(hop.FromIp)}]")}".Trim();
            string delay = hop.DelaySeconds is not { } d ? string.Empty : hop.ClockSkew ? $"  CLOCK SKEW {d}s" : $"  +{d}s";
            text.AppendLine(inv, $"  {hop.Hop,2}. {from} -> {SafeText.Clean(hop.ByHost ?? "?")}{(hop.Protocol is null ? string.Empty : $" with {SafeText.Clean(hop.Protocol)}")}  {hop.Timestamp?.ToString("yyyy-MM-dd HH:mm:ss zzz", inv) ?? "(no time)"}{delay}");
        }

        text.AppendLine();
        text.AppendLine(inv, $"IPs in headers: {report.Ips.Count}");
        foreach (HeaderIp ip in report.Ips)
        {
            text.AppendLine(inv, $"  {Defang.Ip(ip.Address),-40} {Snake(ip.Scope),-14} {string.Join(", ", ip.SeenIn.Select(s => SafeText.Clean(s)))}");
        }

        text.AppendLine();
        text.AppendLine(inv, $"URLs (defanged): {report.Urls.Count}");
        foreach (UrlSummary url in report.Urls)
        {
            text.Append(inv, $"  {SafeText.Clean(Defang.Url(url.Url))}  [{url.Source}]");
            if (!string.IsNullOrWhiteSpace(url.DisplayText))
            {
                text.Append(inv, $"  text: \"{SafeText.CleanProse(url.DisplayText)}\"");
            }

            if (url.DecodedTarget is { } target)
            {
                text.Append(inv, $"  -> {SafeText.Clean(Defang.Url(target))}{(url.Rewriter is null ? string.Empty : $" (via {SafeText.Clean(url.Rewriter)})")}");
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine(inv, $"Attachments: {report.Attachments.Count}");
        foreach (AttachmentSummary attachment in report.Attachments)
        {
            text.AppendLine(inv, $"  {SafeText.Clean(attachment.Filename ?? "(no name)")}  {SafeText.Clean(attachment.ContentType ?? "?")} (sniffed {SafeText.Clean(attachment.SniffedContentType)}), {attachment.Size} bytes, in {SafeText.Clean(attachment.Location)}");
            text.AppendLine(inv, $"    sha256 {attachment.Sha256}");
            text.AppendLine(inv, $"    sha1   {attachment.Sha1}");
            text.AppendLine(inv, $"    md5    {attachment.Md5}");
            foreach (ArchiveMemberSummary member in attachment.ArchiveMembers)
            {
                text.AppendLine(inv, $"    member {SafeText.Clean(member.Name)} {member.Size} bytes{(member.Encrypted ? " ENCRYPTED" : string.Empty)}{(member.Sha256 is null ? string.Empty : $" sha256 {member.Sha256}")}");
            }
        }

        if (report.Reputation.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(inv, $"Reputation (VirusTotal): {report.Reputation.Count}");
            foreach (IndicatorReputation answer in report.Reputation)
            {
                text.AppendLine(inv, $"  {ReputationLabel(answer.Verdict),-16} {SafeText.Clean(answer.Summary)}{(answer.FromCache ? " (cached)" : string.Empty)}");
                text.AppendLine(inv, $"    {SafeText.Clean(ShownIndicator(answer.Indicator))}  [{SafeText.Clean(answer.Indicator.Context)}]");
            }
        }

        text.AppendLine();
        text.AppendLine(inv, $"Findings: {report.Findings.Count}");
        foreach (Finding finding in report.Findings.OrderByDescending(f => f.Severity))
        {
            text.AppendLine(inv, $"  [{finding.Severity.ToString().ToUpperInvariant()}] {finding.Code}: {SafeText.CleanProse(finding.Reason)}");
        }

        if (report.Defects.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(inv, $"Parser defects: {report.Defects.Count}");
            foreach (string defect in report.Defects)
            {
                text.AppendLine(inv, $"  {SafeText.CleanProse(defect)}");
            }
        }

        return text.ToString();
    }

    internal static string LookupLine(EmailReport report) =>
        report.LookupsPerformed ? "Lookups: VirusTotal reputation of hashes, URLs and sending IPs (unavailable answers are not counted either way)"
        : report.Reputation.Count > 0 ? "Lookups: VirusTotal was unavailable; the verdict uses only the message itself"
        : report.NoLookups ? "Lookups: off (--no-lookups); the verdict uses only the message itself"
        : "Lookups: none (set VirusTotal__ApiKey for reputation lookups); the verdict uses only the message itself";

    /// <summary>Never "clean": unavailable and quota-exhausted answers say so.</summary>
    internal static string ReputationLabel(ReputationVerdict verdict) => verdict switch
    {
        ReputationVerdict.Malicious => "MALICIOUS",
        ReputationVerdict.Suspicious => "SUSPICIOUS",
        ReputationVerdict.Harmless => "harmless",
        ReputationVerdict.Unknown => "unknown",
        ReputationVerdict.QuotaExhausted => "quota exhausted",
        _ => "unavailable",
    };

    /// <summary>The indicator defanged: a hash as it is, a URL or IP never clickable.</summary>
    internal static string ShownIndicator(MailIndicator indicator) => indicator.Kind switch
    {
        IndicatorKind.FileHash => "sha256 " + indicator.Value,
        IndicatorKind.Url => Defang.Url(indicator.Value),
        _ => Defang.Ip(indicator.Value),
    };

    private static void Field(StringBuilder text, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{name + ":",-18}{SafeText.Clean(value)}");
        }
    }

    internal static string Address(EmailAddressInfo? address) => address switch
    {
        null => "(unknown)",
        { Name: { Length: > 0 } name, Address: { } a } => $"\"{name}\" <{a}>",
        { Address: { } a } => a,
        { Name: { } name } => $"\"{name}\" (no address)",
        _ => "(unknown)",
    };

    private static string? Addresses(IReadOnlyList<EmailAddressInfo> addresses) =>
        addresses.Count == 0 ? null : string.Join(", ", addresses.Select(Address));

    internal static string Check(AuthCheck? check) => check is null
        ? "-"
        : $"{SafeText.Clean(check.Result)}{(check.Domain is null ? string.Empty : $" ({check.DomainSource}={SafeText.Clean(check.Domain)})")}";

    /// <summary>An enum value as the JSON report spells it (<c>SharedCgnat</c> → <c>shared_cgnat</c>).</summary>
    internal static string Snake(Enum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
