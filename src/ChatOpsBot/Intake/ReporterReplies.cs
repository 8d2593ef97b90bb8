using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Cards;
using ChatOpsBot.Integrations.Graph;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Intake;

/// <summary>How a reply reached the reporter.</summary>
public enum ReplyChannel
{
    Teams,
    Mail,
}

/// <summary>
/// The reporter loop: an acknowledgement when a report is taken in, the verdict with a thank-you when it is analysed,
/// from <see cref="ReportMailboxOptions.Templates"/>. In Teams when <see cref="ReportMailboxOptions.ReplyInTeams"/> is
/// on and the reporter has a personal chat with the bot (<see cref="TeamsReporterChat"/>), otherwise by e-mail from the
/// report mailbox (Graph <c>sendMail</c>, plain text, a new message: never a reply that would quote the suspicious mail
/// back to the reporter). Only reporters in <see cref="ReportMailboxOptions.EffectiveReplyDomains"/> get either.
/// </summary>
internal sealed class ReporterReplies(IGraphMailClient graph, TeamsReporterChat teams, IOptions<ReportMailboxOptions> options)
{
    private const int SubjectChars = 200;
    private const int MailSubjectChars = 250;

    public bool MayReplyTo(string? address)
    {
        if (address is null || !MailAddressText.IsPlainAddress(address))
        {
            return false;
        }

        string domain = address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant();
        return options.Value.EffectiveReplyDomains.Contains(domain, StringComparer.Ordinal);
    }

    public GraphOutgoingMail Acknowledgement(MailReport report)
    {
        ReportMailboxTemplates templates = options.Value.Templates;
        return Mail(report, templates.AcknowledgementSubject, templates.Acknowledgement, verdict: "received");
    }

    public GraphOutgoingMail Verdict(MailReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ReportMailboxTemplates templates = options.Value.Templates;
        (string body, string word) = report.Verdict switch
        {
            "malicious" => (templates.Malicious, "malicious"),
            "suspicious" => (templates.Suspicious, "suspicious"),
            "clean" => (templates.Clean, "nothing malicious found"),
            _ => (templates.Unknown, "not analysed automatically"),
        };
        return Mail(report, templates.VerdictSubject, body, word);
    }

    /// <summary>Sends in Teams when it can, else by e-mail; a Graph failure of the e-mail throws <see cref="GraphApiException"/>.</summary>
    public async Task<ReplyChannel> SendAsync(MailReport report, GraphOutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(mail);
        if (options.Value.ReplyInTeams
            && await teams.TrySendAsync(mail.ToAddress, TeamsReporterChat.Card(mail, report.IsAnalysed ? report.Verdict : null), cancellationToken).ConfigureAwait(false))
        {
            return ReplyChannel.Teams;
        }

        await graph.SendMailAsync(options.Value.Mailbox, mail, cancellationToken).ConfigureAwait(false);
        return ReplyChannel.Mail;
    }

    private static GraphOutgoingMail Mail(MailReport report, string subjectTemplate, string bodyTemplate, string verdict)
    {
        ArgumentNullException.ThrowIfNull(report);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The reported subject is the attacker's text: one printable line, defanged, so the reply carries no link.
            ["subject"] = CardText.Plain(PrintableText.OneLine(report.Subject ?? "(no subject)", SubjectChars * 2), SubjectChars),
            ["verdict"] = verdict,
            ["score"] = report.Score?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            ["reportId"] = report.ReportId,
        };
        string subject = PrintableText.OneLine(Render(subjectTemplate, values), MailSubjectChars);
        return new GraphOutgoingMail(report.Reporter!, subject, Render(bodyTemplate, values).ReplaceLineEndings("\r\n"));
    }

    /// <summary>Fills <c>{name}</c> placeholders in one pass, so a value containing <c>{reportId}</c> stays as it is.</summary>
    internal static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        ReportMailboxOptionsValidator.PlaceholderPattern().Replace(template, match =>
            values.TryGetValue(match.Groups[1].Value, out string? value) ? value : match.Value);
}
