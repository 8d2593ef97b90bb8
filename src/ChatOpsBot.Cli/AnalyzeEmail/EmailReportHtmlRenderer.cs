using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.EmailForensics.Reputation;

namespace ChatOpsBot.Cli.AnalyzeEmail;

/// <summary>
/// One self-contained HTML page for a ticket. Safety rules: every string that came from the message goes through
/// <see cref="E"/> (control/bidi characters made visible, then HTML-encoded); there are no links, scripts, images or
/// external resources; URLs are defanged and printed as text; and a Content-Security-Policy allows nothing except
/// the page's own stylesheet, pinned by its SHA-256, so even an encoding mistake could not run or load anything.
/// </summary>
internal static class EmailReportHtmlRenderer
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}" +
        "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}" +
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;font-size:.9em;word-break:break-all}" +
        "th{background:#f3f3f3}.v{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:bold}" +
        ".malicious{background:#b00020}.suspicious{background:#c77700}.clean{background:#2e7d32}.unknown{background:#666}" +
        ".high,.critical{color:#b00020;font-weight:bold}.medium{color:#c77700}.skew{color:#b00020}" +
        "pre{background:#f7f7f7;padding:8px;white-space:pre-wrap;word-break:break-all;font-size:.8em}";

    private static readonly string s_styleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));

    public static string Render(EmailReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        CultureInfo inv = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        string verdict = report.Verdict.ToString().ToLowerInvariant();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine(inv, $"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{s_styleHash}'; img-src 'none'; base-uri 'none'; form-action 'none'\">");
        html.AppendLine("<meta name=\"referrer\" content=\"no-referrer\">");
        html.AppendLine(inv, $"<title>Email analysis: {E(report.Subject ?? "(no subject)")}</title>");
        html.AppendLine(inv, $"<style>{Style}</style></head><body>");
        html.AppendLine(inv, $"<h1>Email analysis: {E(report.Subject ?? "(no subject)")}</h1>");
        html.AppendLine(inv, $"<p><span class=\"v {verdict}\">{verdict.ToUpperInvariant()}</span> score {report.Score}/100</p>");
        html.AppendLine(inv, $"<p>{E(EmailReportTextRenderer.LookupLine(report))}. URLs are defanged and not clickable.</p>");
        if (report.Forwarded && report.Forward is { } forward)
        {
            html.AppendLine(inv, $"<p>Forwarded ({E(forward.Kind)}{(forward.Client is null ? string.Empty : $", {E(forward.Client)}")}) by {E(EmailReportTextRenderer.Address(report.Reporter))}.{(forward.Unrecoverable.Count > 0 ? $" Not recoverable: {E(string.Join(", ", forward.Unrecoverable))}." : string.Empty)}</p>");
        }

        html.AppendLine("<h2>Headers</h2><table>");
        Row(html, "Subject", report.Subject);
        Row(html, "From", report.From is null ? null : EmailReportTextRenderer.Address(report.From));
        Row(html, "Sender", report.Sender is null ? null : EmailReportTextRenderer.Address(report.Sender));
        Row(html, "Reply-To", string.Join(", ", report.ReplyTo.Select(EmailReportTextRenderer.Address)));
        Row(html, "Return-Path", report.ReturnPath);
        Row(html, "To", string.Join(", ", report.To.Select(EmailReportTextRenderer.Address)));
        Row(html, "Cc", string.Join(", ", report.Cc.Select(EmailReportTextRenderer.Address)));
        Row(html, "Date", report.Date?.ToString("yyyy-MM-dd HH:mm:ss zzz", inv) ?? report.Forward?.QuotedDate);
        Row(html, "Message-ID", report.MessageId);
        Row(html, "X-Mailer", report.XMailer);
        Row(html, "User-Agent", report.UserAgent);
        Row(html, "X-Originating-IP", report.XOriginatingIp is null ? null : Defang.Ip(report.XOriginatingIp));
        html.AppendLine("</table>");

        AuthenticationSummary auth = report.AuthResults;
        html.AppendLine(inv, $"<h2>Authentication</h2><p>Source: {E(auth.Source)}{(auth.TrustedAuthservId is null ? string.Empty : $", trusted authserv-id {E(auth.TrustedAuthservId)}")}; ignored headers: {auth.Ignored.Count}</p><table>");
        Row(html, "SPF", EmailReportTextRenderer.Check(auth.Spf));
        Row(html, "DKIM", auth.Dkim.Count == 0 ? "-" : string.Join("; ", auth.Dkim.Select(EmailReportTextRenderer.Check)));
        Row(html, "DMARC", EmailReportTextRenderer.Check(auth.Dmarc));
        Row(html, "compauth", EmailReportTextRenderer.Check(auth.Compauth));
        html.AppendLine("</table>");

        html.AppendLine("<h2>Received hops (oldest first)</h2><table><tr><th>#</th><th>From</th><th>IP</th><th>By</th><th>With</th><th>Time</th><th>Delay</th></tr>");
        foreach (ReceivedHop hop in report.ReceivedHops)
        {
            string delay = hop.DelaySeconds is not { } d ? string.Empty : hop.ClockSkew ? $"<span class=\"skew\">clock skew {d}s</span>" : $"+{d}s";
            html.AppendLine(inv, $"<tr><td>{hop.Hop}</td><td>{E(hop.FromHost)}</td><td>{E(hop.FromIp is null ? null : Defang.Ip(hop.FromIp))}</td><td>{E(hop.ByHost)}</td><td>{E(hop.Protocol)}</td><td>{E(hop.Timestamp?.ToString("yyyy-MM-dd HH:mm:ss zzz", inv))}</td><td>{delay}</td></tr>");
        }

        html.AppendLine("</table>");

        html.AppendLine("<h2>IP addresses in headers</h2><table><tr><th>Address</th><th>Scope</th><th>Seen in</th></tr>");
        foreach (HeaderIp ip in report.Ips)
        {
            html.AppendLine(inv, $"<tr><td>{E(Defang.Ip(ip.Address))}</td><td>{E(EmailReportTextRenderer.Snake(ip.Scope))}</td><td>{E(string.Join(", ", ip.SeenIn))}</td></tr>");
        }

        html.AppendLine("</table>");

        html.AppendLine("<h2>URLs (defanged)</h2><table><tr><th>URL</th><th>Source</th><th>Link text</th><th>Decoded target</th></tr>");
        foreach (UrlSummary url in report.Urls)
        {
            html.AppendLine(inv, $"<tr><td>{E(Defang.Url(url.Url))}</td><td>{E(url.Source)}</td><td>{E(SafeText.CleanProse(url.DisplayText))}</td><td>{E(url.DecodedTarget is null ? null : Defang.Url(url.DecodedTarget))}</td></tr>");
        }

        html.AppendLine("</table>");

        html.AppendLine("<h2>Attachments</h2><table><tr><th>Name</th><th>Type</th><th>Size</th><th>Hashes</th><th>Where</th></tr>");
        foreach (AttachmentSummary a in report.Attachments)
        {
            string members = string.Concat(a.ArchiveMembers.Select(m =>
                $"<br>member {E(m.Name)} {m.Size} bytes{(m.Encrypted ? " ENCRYPTED" : string.Empty)}{(m.Sha256 is null ? string.Empty : $" sha256 {E(m.Sha256)}")}"));
            html.AppendLine(inv, $"<tr><td>{E(a.Filename ?? "(no name)")}{members}</td><td>{E(a.ContentType)} (sniffed {E(a.SniffedContentType)})</td><td>{a.Size}</td><td>sha256 {E(a.Sha256)}<br>sha1 {E(a.Sha1)}<br>md5 {E(a.Md5)}</td><td>{E(a.Location)}</td></tr>");
        }

        html.AppendLine("</table>");

        if (report.Reputation.Count > 0)
        {
            html.AppendLine("<h2>Reputation (VirusTotal)</h2><table><tr><th>Verdict</th><th>Summary</th><th>Indicator</th><th>Where</th></tr>");
            foreach (IndicatorReputation answer in report.Reputation)
            {
                html.AppendLine(inv, $"<tr><td>{E(EmailReportTextRenderer.ReputationLabel(answer.Verdict))}</td><td>{E(answer.Summary)}{(answer.FromCache ? " (cached)" : string.Empty)}</td><td>{E(EmailReportTextRenderer.ShownIndicator(answer.Indicator))}</td><td>{E(answer.Indicator.Context)}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        html.AppendLine("<h2>Findings</h2><table><tr><th>Severity</th><th>Code</th><th>Reason</th></tr>");
        foreach (Finding f in report.Findings.OrderByDescending(f => f.Severity))
        {
            string severity = f.Severity.ToString().ToLowerInvariant();
            html.AppendLine(inv, $"<tr><td class=\"{severity}\">{severity}</td><td>{E(f.Code)}</td><td>{E(SafeText.CleanProse(f.Reason))}</td></tr>");
        }

        html.AppendLine("</table>");

        if (report.Defects.Count > 0)
        {
            html.AppendLine("<h2>Parser defects</h2><ul>");
            foreach (string defect in report.Defects)
            {
                html.AppendLine(inv, $"<li>{E(defect)}</li>");
            }

            html.AppendLine("</ul>");
        }

        if (report.RawHeaders.Length > 0)
        {
            html.AppendLine(inv, $"<h2>Raw headers</h2><pre>{WebUtility.HtmlEncode(SafeText.CleanProse(report.RawHeaders, 1_000_000, keepLineBreaks: true))}</pre>");
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>");
        }
    }

    /// <summary>Visible control characters, then HTML-encoded (&lt; &gt; &amp; &quot; &#39;).</summary>
    private static string E(string? value) => WebUtility.HtmlEncode(SafeText.Clean(value, 100_000));
}
