using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>
/// Analysis of a pasted header block (no body): what the headers say, worst first, then authentication, the
/// Received path and the IPs, with the pasted block itself behind a button.
/// </summary>
public static class HeadersCard
{
    public static AdaptiveCard Build(EmailReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return CardLimits.Fit(limits => Build(report, limits));
    }

    private static AdaptiveCard Build(EmailReport report, CardLimits limits)
    {
        (AdaptiveContainerStyle style, AdaptiveTextColor color, string label) = EmailSections.VerdictLook(report.Verdict);
        var body = new List<AdaptiveElement>
        {
            CardParts.Banner(
                style,
                $"Headers: {label} · score {report.Score}/100",
                color,
                $"**{CardText.Escape(report.Subject ?? "(no subject)", limits.TextChars)}**",
                $"From {EmailSections.Address(report.From, limits)}",
                "Judged from the headers alone: links and attachments were not part of the paste."),
        };

        if (report.Findings.Count > 0)
        {
            body.Add(CardParts.Section("Findings"));
            body.AddRange(EmailSections.Findings(report.Findings, limits, limits.ListItems));
        }
        else
        {
            body.Add(CardParts.Text("Nothing suspicious in these headers."));
        }

        body.Add(CardParts.Section("Authentication"));
        body.Add(EmailSections.Authentication(report.AuthResults, limits));
        body.Add(CardParts.Subtle(EmailSections.AuthenticationSource(report.AuthResults, limits)));
        body.Add(CardParts.Facts(
            ("Reply-To", EmailSections.Addresses(report.ReplyTo, limits)),
            ("Return-Path", CardText.Escape(report.ReturnPath, limits.TextChars)),
            ("Date", CardParts.Utc(report.Date)),
            ("Message-ID", CardText.Escape(report.MessageId, limits.TextChars)),
            ("X-Mailer", CardText.Escape(report.XMailer ?? report.UserAgent, limits.TextChars))));
        body.AddRange(EmailSections.Hops(report.ReceivedHops, limits));
        body.AddRange(EmailSections.Ips(report.Ips, limits));

        var actions = new List<AdaptiveAction>();
        if (EmailSections.RawHeaders(report.RawHeaders, limits) is { } raw)
        {
            body.Add(raw);
            actions.Add(EmailSections.ShowRawHeaders());
        }

        return CardParts.Card(
            CardText.Plain($"Header analysis: {label} (score {report.Score}/100): {report.Subject}", 300),
            body,
            actions);
    }
}
