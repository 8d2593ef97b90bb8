using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>
/// The forensic verdict on a forwarded message: the verdict banner and its reasons first, then the evidence (headers,
/// authentication, URLs defanged, attachments with hashes, hops, IPs), with the raw headers behind a button.
/// Nothing from the message becomes a link, an image or a mention.
/// </summary>
public static class EmailVerdictCard
{
    public static AdaptiveCard Build(EmailReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return CardLimits.Fit(limits => Build(report, limits));
    }

    private static AdaptiveCard Build(EmailReport report, CardLimits limits)
    {
        (AdaptiveContainerStyle style, AdaptiveTextColor color, string label) = EmailSections.VerdictLook(report.Verdict);
        string subject = CardText.Escape(report.Subject ?? "(no subject)", limits.TextChars);
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(
                style,
                $"{label} · score {report.Score}/100",
                color,
                $"**{subject}**",
                $"From {EmailSections.Address(report.From, limits)}",
                Reporter(report, limits)),
        };

        if (report.Findings.Count > 0)
        {
            body.Add(CardParts.Section("Why"));
            body.AddRange(EmailSections.Findings(report.Findings, limits, limits.ListItems));
        }
        else
        {
            body.Add(CardParts.Text("No warning signs were found in the message itself."));
        }

        body.Add(CardParts.Section("Message"));
        body.Add(CardParts.Facts(
            ("From", EmailSections.Address(report.From, limits)),
            ("Sender", EmailSections.Address(report.Sender, limits)),
            ("Reply-To", EmailSections.Addresses(report.ReplyTo, limits)),
            ("Return-Path", CardText.Escape(report.ReturnPath, limits.TextChars)),
            ("To", EmailSections.Addresses(report.To, limits)),
            ("Cc", EmailSections.Addresses(report.Cc, limits)),
            ("Date", CardParts.Utc(report.Date)),
            ("Message-ID", CardText.Escape(report.MessageId, limits.TextChars)),
            ("X-Mailer", CardText.Escape(report.XMailer ?? report.UserAgent, limits.TextChars)),
            ("X-Originating-IP", CardText.Escape(report.XOriginatingIp, 60))));

        body.Add(CardParts.Section("Authentication"));
        body.Add(EmailSections.Authentication(report.AuthResults, limits));
        body.Add(CardParts.Subtle(EmailSections.AuthenticationSource(report.AuthResults, limits)));

        AddUrls(body, report, limits);
        AddAttachments(body, report, limits);
        body.AddRange(EmailSections.Hops(report.ReceivedHops, limits));
        body.AddRange(EmailSections.Ips(report.Ips, limits));

        if (report.Forward is { Unrecoverable.Count: > 0 } forward)
        {
            body.Add(CardParts.Subtle($"Forwarded inline: the original's {CardText.Escape(string.Join(", ", forward.Unrecoverable), limits.LongTextChars)} could not be checked. Forward as an attachment for a full analysis."));
        }

        if (report.Defects.Count > 0)
        {
            body.Add(CardParts.Subtle($"Parser notes ({report.Defects.Count}): {CardText.Escape(string.Join("; ", report.Defects.Take(3)), limits.LongTextChars)}"));
        }

        body.Add(CardParts.Subtle(report.LookupsPerformed
            ? "Verdict includes external reputation lookups."
            : "Verdict uses only the message itself (no external lookups)."));

        var actions = new List<AdaptiveAction>();
        if (EmailSections.RawHeaders(report.RawHeaders, limits) is { } raw)
        {
            body.Add(raw);
            actions.Add(EmailSections.ShowRawHeaders());
        }

        return CardParts.Card(
            CardText.Plain($"{label} (score {report.Score}/100): {report.Subject}", 300),
            body,
            actions);
    }

    private static string Reporter(EmailReport report, CardLimits limits)
    {
        if (!report.Forwarded)
        {
            return string.Empty;
        }

        string how = report.Forward?.Kind == "inline" ? "forwarded inline" : "forwarded as an attachment";
        string others = report.Forward is { OtherCandidates: > 0 } f ? $" ({f.OtherCandidates} other forwarded message(s) not analysed)" : string.Empty;
        return report.Reporter is null
            ? $"Reported message, {how}{others}"
            : $"Reported by {EmailSections.Address(report.Reporter, limits)}, {how}{others}";
    }

    private static void AddUrls(List<AdaptiveElement> body, EmailReport report, CardLimits limits)
    {
        if (report.Urls.Count == 0)
        {
            return;
        }

        // URLs with findings first: they are the evidence.
        List<UrlSummary> ordered = [.. report.Urls.OrderByDescending(u => u.Findings.Count == 0 ? -1 : (int)u.Findings.Max(f => f.Severity))];
        int shown = Math.Min(ordered.Count, limits.ListItems);
        body.Add(CardParts.Section($"URLs ({report.Urls.Count}, defanged)"));
        foreach (UrlSummary url in ordered.Take(shown))
        {
            var details = new List<string> { CardText.Escape(url.Source, 40) };
            if (url.Attachment is { } attachment)
            {
                details.Add($"in {CardText.Escape(attachment, limits.TextChars)}");
            }

            if (url.DisplayText is { Length: > 0 } text)
            {
                details.Add($"shown as \"{CardText.Escape(text, limits.TextChars)}\"");
            }

            if (url.DecodedTarget is { } target)
            {
                details.Add($"{CardText.Escape(url.Rewriter ?? "rewriter", 40)} target {CardText.Escape(target, limits.TextChars)}");
            }

            body.Add(CardParts.Mono(CardText.Escape(url.Url, limits.LongTextChars)));
            body.Add(CardParts.Subtle(string.Join(" · ", details)));
        }

        body.AddRange(CardParts.More(ordered.Count, shown, "URLs"));
    }

    private static void AddAttachments(List<AdaptiveElement> body, EmailReport report, CardLimits limits)
    {
        if (report.Attachments.Count == 0)
        {
            return;
        }

        int shown = Math.Min(report.Attachments.Count, limits.ListItems / 2 + 1);
        body.Add(CardParts.Section($"Attachments ({report.Attachments.Count})"));
        foreach (AttachmentSummary attachment in report.Attachments.Take(shown))
        {
            string type = attachment.ContentType is { } declared && !string.Equals(declared, attachment.SniffedContentType, StringComparison.OrdinalIgnoreCase)
                ? $"{CardText.Escape(declared, 80)}, content is {CardText.Escape(attachment.SniffedContentType, 80)}"
                : CardText.Escape(attachment.SniffedContentType, 80);
            body.Add(new AdaptiveTextBlock($"**{CardText.Escape(attachment.Filename ?? "(no name)", limits.TextChars)}**") { Wrap = true, Spacing = AdaptiveSpacing.Small });
            body.Add(CardParts.Subtle($"{type} · {CardParts.Bytes(attachment.Size)}" + (attachment.ArchiveMembers.Count > 0 ? $" · archive of {attachment.ArchiveMembers.Count} file(s)" : string.Empty)));
            body.Add(CardParts.Mono($"SHA-256 {CardText.Escape(attachment.Sha256, 64)}"));
        }

        body.AddRange(CardParts.More(report.Attachments.Count, shown, "attachments"));
    }
}
