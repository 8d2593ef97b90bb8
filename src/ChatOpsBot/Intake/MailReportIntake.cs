using System.Globalization;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Commands.Analyze;

namespace ChatOpsBot.Intake;

/// <summary>What the analysis of one reported message gave: a report, or why there is none.</summary>
public sealed record AnalysedMail(EmailReport? Report, string? Problem)
{
    /// <summary><c>malicious</c>, <c>suspicious</c>, <c>clean</c>, <c>unknown</c>, or <c>not-analysed</c>.</summary>
    public string VerdictName => Report is null ? NotAnalysed : Report.Verdict.ToString().ToLowerInvariant();

    public const string NotAnalysed = "not-analysed";
}

/// <summary>Which intake path a report came through, as the SOC card says it.</summary>
public sealed record MailReportOrigin(string Source, string Description)
{
    public static MailReportOrigin Mailbox(string mailbox) => new(MailReportSources.Mailbox, "report mailbox " + mailbox);

    public static MailReportOrigin Webhook { get; } = new(MailReportSources.Webhook, "mail-flow webhook");
}

/// <summary>
/// The one analysis entry point of every intake path (report mailbox, mail-flow webhook): the forensic analysis of the
/// original message (forwards are unwrapped by <see cref="EmailAnalyzer"/>), VirusTotal reputation when configured,
/// then the SOC verdict card raised as a <see cref="AlertKinds.MailReport"/> alert (so the outbox delivers it to every
/// subscribed conversation and configured target, with its retries) in the same transaction that records the verdict
/// on the report row. A report whose row already has an alert is never posted again.
/// </summary>
internal sealed class MailReportIntake(AlertDatabase database, AlertRaiser raiser, ReputationEnrichment reputation, TimeProvider timeProvider)
{
    private const int FooterChars = 300;

    /// <summary>Analyses a message; input that is not mail gives a <see cref="AnalysedMail.Problem"/>, never an exception.</summary>
    public async Task<AnalysedMail> AnalyseAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        EmailReport report;
        try
        {
            report = EmailAnalyzer.Analyze(message);
        }
        catch (InvalidInputException ex)
        {
            return new AnalysedMail(null, ex.Message);
        }

        return new AnalysedMail(await reputation.AddAsync(report, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>
    /// Raises the SOC alert for <paramref name="report"/> and records its verdict, in one transaction; inserts the row
    /// when it does not exist yet (the webhook). Returns the row as stored: when it already had an alert, unchanged.
    /// </summary>
    public async Task<MailReport> PostAsync(MailReport report, AnalysedMail analysed, MailReportOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(analysed);
        ArgumentNullException.ThrowIfNull(origin);
        DateTimeOffset now = timeProvider.GetUtcNow();
        AlertCandidate candidate = Candidate(report, analysed, origin, now);
        string? subject = analysed.Report?.Subject ?? report.Subject;
        return await database.WriteAsync(
            async (c, t) =>
            {
                MailReport? current = await MailReportStore.GetAsync(c, t, report.ReportId, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    await MailReportStore.InsertReceivedAsync(c, t, report, cancellationToken).ConfigureAwait(false);
                }
                else if (current.IsAnalysed)
                {
                    return current;
                }

                (_, string alertId) = await raiser.RaiseAsync(c, t, candidate, now, cancellationToken).ConfigureAwait(false);
                await MailReportStore.CompleteAnalysisAsync(
                    c, t, report.ReportId, analysed.VerdictName, analysed.Report?.Score, subject, alertId, now, cancellationToken).ConfigureAwait(false);
                return await MailReportStore.GetAsync(c, t, report.ReportId, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The report row vanished inside its own transaction.");
            },
            cancellationToken).ConfigureAwait(false);
    }

    internal static AlertCandidate Candidate(MailReport row, AnalysedMail analysed, MailReportOrigin origin, DateTimeOffset now)
    {
        EmailReport? report = analysed.Report;
        string reportedBy = row.Reporter is null ? "" : " by " + row.Reporter;
        var payload = new AlertPayload
        {
            Kind = AlertKinds.MailReport,
            Headline = report is null
                ? "Reported mail could not be analysed"
                : string.Create(CultureInfo.InvariantCulture, $"Reported mail: {report.Verdict} (score {report.Score}/100)"),
            DetectedBy = $"Reported{reportedBy} through the {origin.Description}",
            Sender = report?.From?.Address,
            Subject = report?.Subject ?? row.Subject,
            MessageId = report?.MessageId,
            Recipient = row.Reporter,
            Detail = report is null
                ? "Not analysed: " + analysed.Problem
                : report.Findings.Count == 0 ? "No findings" : string.Join("; ", report.Findings.Take(3).Select(f => f.Reason)),
            FirstEventAt = now,
            LastEventAt = now,
            CardJson = CardJson.Serialize(SocCard(row, analysed, origin)),
        };
        return new AlertCandidate(AlertKinds.MailReport, "report:" + row.ReportId, payload);
    }

    /// <summary>The forensic verdict card (or a notice that the message could not be analysed) with a footer naming the report.</summary>
    internal static AdaptiveCard SocCard(MailReport row, AnalysedMail analysed, MailReportOrigin origin)
    {
        AdaptiveCard card = analysed.Report is { } report
            ? EmailVerdictCard.Build(report)
            : NoticeCard.Build(
                "Reported mail could not be analysed",
                $"\u201C{row.Subject ?? "(no subject)"}\u201D{(row.Reporter is null ? "" : " reported by " + row.Reporter)}: {analysed.Problem}. Look at it in the {origin.Description}.",
                NoticeStyle.Warning);
        var footer = new AdaptiveTextBlock(CardText.Escape($"Report {row.ReportId} from the {origin.Description}{(row.Reporter is null ? "" : ", reported by " + row.Reporter)}", FooterChars))
        {
            Wrap = true,
            IsSubtle = true,
            Size = AdaptiveTextSize.Small,
            Separator = true,
        };
        AdaptiveCard withFooter = card with { Body = [.. card.Body, footer] };
        AdaptiveCard chosen = CardJson.Utf8ByteCount(withFooter) <= CardJson.MaxCardBytes ? withFooter : card;
        return chosen.ForTeams();
    }
}
