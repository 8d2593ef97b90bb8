using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Reputation;
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

        AddReputation(body, report, limits);

        body.Add(CardParts.Section("Message"));
        body.AddRange(CardParts.Facts(
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
        body.AddRange(EmailSections.Authentication(report.AuthResults, limits));
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
            ? "Verdict includes VirusTotal reputation lookups (unavailable ones are not counted either way)."
            : report.Reputation.Count > 0
                ? "Reputation lookups were unavailable: the verdict uses only the message itself."
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

    /// <summary>Each indicator's reputation, flagged ones first: a link-free summary ("7/70 engines malicious") beside
    /// the defanged indicator. Unavailable answers say so; nothing here ever reads "clean".</summary>
    private static void AddReputation(List<AdaptiveElement> body, EmailReport report, CardLimits limits)
    {
        if (report.Reputation.Count == 0)
        {
            return;
        }

        List<IndicatorReputation> ordered = [.. report.Reputation.OrderBy(r => r.Verdict)];
        int shown = Math.Min(ordered.Count, limits.ListItems);
        body.Add(CardParts.Section($"Reputation ({report.Reputation.Count}, VirusTotal)"));
        foreach (IndicatorReputation answer in ordered.Take(shown))
        {
            (string label, AdaptiveTextColor color) = answer.Verdict switch
            {
                ReputationVerdict.Malicious => ("MALICIOUS", AdaptiveTextColor.Attention),
                ReputationVerdict.Suspicious => ("SUSPICIOUS", AdaptiveTextColor.Warning),
                ReputationVerdict.Harmless => ("harmless", AdaptiveTextColor.Default),
                ReputationVerdict.Unknown => ("unknown", AdaptiveTextColor.Default),
                ReputationVerdict.QuotaExhausted => ("no quota", AdaptiveTextColor.Warning),
                _ => ("unavailable", AdaptiveTextColor.Warning),
            };
            MailIndicator indicator = answer.Indicator;
            string shownIndicator = indicator.Kind == IndicatorKind.FileHash
                ? $"SHA-256 {CardText.Escape(indicator.Value, 64)}"
                : CardText.Escape(indicator.Value, limits.LongTextChars);
            body.Add(CardParts.Labelled(
                label,
                color,
                [
                    CardParts.Text($"**{CardText.Escape(answer.Summary, 160)}**"),
                    CardParts.Mono(shownIndicator),
                    CardParts.Subtle(CardText.Escape(indicator.Context, limits.TextChars) + (answer.FromCache ? " · cached answer" : string.Empty)),
                ],
                "90px"));
        }

        body.AddRange(CardParts.More(ordered.Count, shown, "indicators"));
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

            // One container per URL, so its details read as belonging to it.
            body.Add(new AdaptiveContainer
            {
                Spacing = AdaptiveSpacing.Medium,
                Items = [CardParts.Mono(CardText.Escape(url.Url, limits.LongTextChars)), CardParts.Subtle(string.Join(" · ", details))],
            });
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
            body.Add(new AdaptiveContainer
            {
                Spacing = AdaptiveSpacing.Medium,
                Items =
                [
                    new AdaptiveTextBlock($"**{CardText.Escape(attachment.Filename ?? "(no name)", limits.TextChars)}**") { Wrap = true },
                    CardParts.Subtle($"{type} · {CardParts.Bytes(attachment.Size)}" + (attachment.ArchiveMembers.Count > 0 ? $" · archive of {attachment.ArchiveMembers.Count} file(s)" : string.Empty)),
                    CardParts.Mono($"SHA-256 {CardText.Escape(attachment.Sha256, 64)}"),
                ],
            });
        }

        body.AddRange(CardParts.More(report.Attachments.Count, shown, "attachments"));
    }
}
