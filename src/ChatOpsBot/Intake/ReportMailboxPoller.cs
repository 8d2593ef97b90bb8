using System.Data.Common;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Integrations.Graph;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Intake;

/// <summary>What one report mailbox run did.</summary>
public sealed record ReportMailboxRunResult(
    int Listed,
    int Analysed,
    int AlreadyKnown,
    int Filed,
    int Acknowledged,
    int Replied,
    int Failed,
    bool Throttled)
{
    public static ReportMailboxRunResult Disabled { get; } = new(0, 0, 0, 0, 0, 0, 0, false);
}

/// <summary>
/// Reads new reports from the shared mailbox and takes each through the same steps, each recorded before the next:
/// <list type="number">
/// <item>the report row (<c>mail_reports</c>, keyed by the Graph immutable message id), the full MIME, and the
/// acknowledgement (none for messages a program sent, RFC 3834);</item>
/// <item>the analysis and the SOC alert, committed with the verdict on the row in one transaction;</item>
/// <item>the verdict reply to the reporter (retried on later runs from the row if it fails);</item>
/// <item>mark read and move to <see cref="ReportMailboxOptions.ProcessedFolder"/>.</item>
/// </list>
/// The folder is the queue and the row is the guard: a message still in the folder whose row has an alert (a crash or a
/// failure after step 2) is only finished, never analysed or posted again. Graph throttling (429/503 after the
/// client's bounded retries) ends the run early; whatever was not reached is still in the folder for the next run.
/// </summary>
internal sealed partial class ReportMailboxPoller(
    IGraphMailClient graph,
    AlertDatabase database,
    MailReportIntake intake,
    ReporterReplies replies,
    IOptions<ReportMailboxOptions> options,
    TimeProvider timeProvider,
    ILogger<ReportMailboxPoller> logger)
{
    public const string JobName = JobNames.ReportMailbox;

    /// <summary>Finished report rows are kept this long (they answer "was this already processed?" and nothing else).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    public async Task<ReportMailboxRunResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        ReportMailboxOptions settings = options.Value;
        if (!settings.Enabled)
        {
            return ReportMailboxRunResult.Disabled;
        }

        var run = new Counters();
        await database.RunAsync(c => CheckpointStore.StartRunAsync(c, JobName, timeProvider.GetUtcNow(), cancellationToken), cancellationToken).ConfigureAwait(false);
        string outcome = JobRunResult.Succeeded;
        string? problem = null;
        try
        {
            await RetryOwedRepliesAsync(settings, run, cancellationToken).ConfigureAwait(false);
            string? processedFolderId = null;
            if (settings.ProcessedFolder.Length > 0)
            {
                processedFolderId = await graph.FindFolderIdAsync(settings.Mailbox, settings.ProcessedFolder, cancellationToken).ConfigureAwait(false);
                if (processedFolderId is null)
                {
                    LogNoProcessedFolder(logger, settings.ProcessedFolder);
                    await FinishRunAsync(
                        run, JobRunResult.Failed, $"the folder '{settings.ProcessedFolder}' (ReportMailbox:ProcessedFolder) does not exist in the mailbox", cancellationToken)
                        .ConfigureAwait(false);
                    return run.Result();
                }
            }

            // Filing a message takes it out of the listing, which shifts Graph's pages ($skip): after a page that
            // filed something the listing starts again from the oldest message instead of following @odata.nextLink.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? nextLink = null;
            while (run.Listed < settings.MaxMessagesPerRun)
            {
                int room = settings.MaxMessagesPerRun - run.Listed;
                GraphMessagePage page = await graph.ListMessagesAsync(
                    settings.Mailbox, settings.Folder, unreadOnly: processedFolderId is null, Math.Min(settings.PageSize, room), nextLink, cancellationToken).ConfigureAwait(false);
                int filedBefore = run.Filed;
                foreach (GraphMailMessage message in page.Messages.Where(m => seen.Add(m.Id)).Take(room))
                {
                    run.Listed++;
                    await HandleAsync(settings, message, processedFolderId, run, cancellationToken).ConfigureAwait(false);
                }

                if (run.Filed > filedBefore)
                {
                    nextLink = null;
                }
                else if (page.NextLink is null)
                {
                    break;
                }
                else
                {
                    nextLink = page.NextLink;
                }
            }
        }
        catch (GraphApiException ex) when (ex.Kind is GraphErrorKind.Throttled or GraphErrorKind.Unavailable)
        {
            run.Throttled = true;
            problem = "stopped early, the rest waits for the next run: " + ex.Message;
            LogStoppedEarly(logger, ex.Message);
        }
        catch (GraphApiException ex)
        {
            outcome = JobRunResult.Failed;
            problem = ex.Message;
            LogRunFailed(logger, ex.Kind, ex.Message);
        }
        catch (OperationCanceledException)
        {
            await JobRunRecorder.RecordFailureAsync(
                () => FinishRunAsync(run, JobRunResult.Cancelled, "stopped before it finished; the next run takes up what is still in the folder", CancellationToken.None),
                JobName,
                logger).ConfigureAwait(false);
            throw;
        }
        catch (DbException ex)
        {
            await JobRunRecorder.RecordFailureAsync(
                () => FinishRunAsync(run, JobRunResult.Failed, "database error: " + ex.Message, CancellationToken.None), JobName, logger).ConfigureAwait(false);
            throw;
        }

        await database.RunAsync(c => MailReportStore.PurgeAsync(c, timeProvider.GetUtcNow() - Retention, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (problem is null && run.Failed > 0)
        {
            problem = $"{run.Failed} report(s) not finished; they are taken up again on the next run";
        }

        await FinishRunAsync(run, outcome, problem, cancellationToken).ConfigureAwait(false);
        ReportMailboxRunResult result = run.Result();
        if (result.Listed > 0 || result.Replied > 0)
        {
            LogRun(logger, result.Listed, result.Analysed, result.AlreadyKnown, result.Filed, result.Replied, result.Failed);
        }

        return result;
    }

    /// <summary>What <c>monitor status</c> shows of this job: the run's outcome and, added to the totals, the reports
    /// it analysed (each raised one SOC alert).</summary>
    private async Task FinishRunAsync(Counters run, string outcome, string? problem, CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (run.Analysed > 0)
        {
            await database.WriteAsync(
                async (connection, transaction) =>
                {
                    await CheckpointStore.AdvanceAsync(connection, transaction, JobName, null, run.Analysed, run.Analysed, now, cancellationToken).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }

        await database.RunAsync(c => CheckpointStore.FinishRunAsync(c, JobName, outcome, problem, now, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleAsync(ReportMailboxOptions settings, GraphMailMessage message, string? processedFolderId, Counters run, CancellationToken cancellationToken)
    {
        MailReport? report = await database.ReadAsync(
            c => MailReportStore.GetBySourceAsync(c, null, MailReportSources.Mailbox, message.Id, cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            if (report is null)
            {
                report = new MailReport(
                    MailReportIds.New(), MailReportSources.Mailbox, message.Id, message.FromAddress, message.Subject,
                    null, null, null, timeProvider.GetUtcNow(), null, null, null, 0, null, null);
                await database.RunAsync(c => MailReportStore.InsertReceivedAsync(c, null, report, cancellationToken), cancellationToken).ConfigureAwait(false);
                report = await database.ReadAsync(
                    c => MailReportStore.GetBySourceAsync(c, null, MailReportSources.Mailbox, message.Id, cancellationToken), cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The report row was not stored.");
            }

            if (!report.IsAnalysed)
            {
                byte[]? mime = await graph.GetMimeAsync(settings.Mailbox, message.Id, settings.MaxMessageBytes, cancellationToken).ConfigureAwait(false);
                if (mime is not null && RawMail.IsAutomatic(mime) && report.ReplyAttempts < MailReportStore.SuppressedAttempts)
                {
                    // An out-of-office or other robot wrote to the report address: analysed and posted, never answered,
                    // so two robots cannot keep answering each other.
                    await database.RunAsync(c => MailReportStore.SuppressRepliesAsync(c, report.ReportId, "automatic message (RFC 3834): not answered", timeProvider.GetUtcNow(), cancellationToken), cancellationToken).ConfigureAwait(false);
                    report = report with { ReplyAttempts = MailReportStore.SuppressedAttempts };
                }

                if (report.AcknowledgedAt is null && report.ReplyAttempts < settings.MaxReplyAttempts && settings.SendAcknowledgement && replies.MayReplyTo(report.Reporter))
                {
                    // Once per report: a failed acknowledgement is not retried, the verdict reply follows anyway.
                    await TrySendAsync(report, replies.Acknowledgement(report), acknowledgement: true, run, cancellationToken).ConfigureAwait(false);
                }

                AnalysedMail analysed = mime is null
                    ? new AnalysedMail(null, $"the message is larger than ReportMailbox:MaxMessageBytes ({settings.MaxMessageBytes:N0} bytes)")
                    : await intake.AnalyseAsync(mime, cancellationToken).ConfigureAwait(false);
                report = await intake.PostAsync(report, analysed, MailReportOrigin.Mailbox(settings.Mailbox), cancellationToken).ConfigureAwait(false);
                run.Analysed++;
                LogAnalysed(logger, report.ReportId, report.Verdict ?? "", report.AlertId ?? "");
            }
            else
            {
                run.AlreadyKnown++;
            }

            if (report.RepliedAt is null && report.ReplyAttempts < settings.MaxReplyAttempts && replies.MayReplyTo(report.Reporter))
            {
                await TrySendAsync(report, replies.Verdict(report), acknowledgement: false, run, cancellationToken).ConfigureAwait(false);
            }

            await graph.MarkReadAsync(settings.Mailbox, message.Id, cancellationToken).ConfigureAwait(false);
            if (processedFolderId is not null)
            {
                await graph.MoveAsync(settings.Mailbox, message.Id, processedFolderId, cancellationToken).ConfigureAwait(false);
            }

            await database.RunAsync(c => MailReportStore.MarkFiledAsync(c, report.ReportId, timeProvider.GetUtcNow(), cancellationToken), cancellationToken).ConfigureAwait(false);
            run.Filed++;
        }
        catch (GraphApiException ex) when (ex.Kind is not (GraphErrorKind.Throttled or GraphErrorKind.Unavailable))
        {
            // This message only (it vanished, a server error on it): the next message is tried; this one stays in the
            // folder and is taken up again by the next run, without a second SOC card once it has one.
            run.Failed++;
            LogMessageFailed(logger, report?.ReportId ?? "(new)", ex.Kind, ex.Message);
        }
    }

    /// <summary>Verdict replies that failed on an earlier run (the message has been filed since).</summary>
    private async Task RetryOwedRepliesAsync(ReportMailboxOptions settings, Counters run, CancellationToken cancellationToken)
    {
        List<MailReport> owed = await database.ReadAsync(
            c => MailReportStore.PendingRepliesAsync(c, settings.MaxReplyAttempts, settings.MaxMessagesPerRun, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (MailReport report in owed.Where(r => r.FiledAt is not null && replies.MayReplyTo(r.Reporter)))
        {
            await TrySendAsync(report, replies.Verdict(report), acknowledgement: false, run, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TrySendAsync(MailReport report, GraphOutgoingMail mail, bool acknowledgement, Counters run, CancellationToken cancellationToken)
    {
        try
        {
            await replies.SendAsync(report, mail, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphApiException ex) when (ex.Kind is not (GraphErrorKind.Throttled or GraphErrorKind.Unavailable) || !acknowledgement)
        {
            // sendMail has no idempotency key: a failure that may have sent is rare and costs a duplicate thank-you,
            // never a duplicate SOC card. The verdict reply is tried again on later runs, up to MaxReplyAttempts.
            LogReplyFailed(logger, report.ReportId, acknowledgement ? "acknowledgement" : "verdict", ex.Message);
            if (!acknowledgement)
            {
                await database.RunAsync(c => MailReportStore.RecordReplyFailureAsync(c, report.ReportId, ex.Message, timeProvider.GetUtcNow(), cancellationToken), cancellationToken).ConfigureAwait(false);
                if (ex.Kind is GraphErrorKind.Throttled or GraphErrorKind.Unavailable)
                {
                    throw;
                }
            }

            return;
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        if (acknowledgement)
        {
            await database.RunAsync(c => MailReportStore.MarkAcknowledgedAsync(c, report.ReportId, now, cancellationToken), cancellationToken).ConfigureAwait(false);
            run.Acknowledged++;
        }
        else
        {
            await database.RunAsync(c => MailReportStore.MarkRepliedAsync(c, report.ReportId, now, cancellationToken), cancellationToken).ConfigureAwait(false);
            run.Replied++;
        }
    }

    private sealed class Counters
    {
        public int Listed;
        public int Analysed;
        public int AlreadyKnown;
        public int Filed;
        public int Acknowledged;
        public int Replied;
        public int Failed;
        public bool Throttled;

        public ReportMailboxRunResult Result() => new(Listed, Analysed, AlreadyKnown, Filed, Acknowledged, Replied, Failed, Throttled);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report mailbox: report {ReportId} analysed ({Verdict}), SOC alert {AlertId}")]
    private static partial void LogAnalysed(ILogger logger, string reportId, string verdict, string alertId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report mailbox run: {Listed} listed, {Analysed} analysed, {Known} already known, {Filed} filed, {Replied} verdict replies, {Failed} failed")]
    private static partial void LogRun(ILogger logger, int listed, int analysed, int known, int filed, int replied, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report mailbox: stopped early, the rest waits for the next run: {Error}")]
    private static partial void LogStoppedEarly(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report mailbox run failed ({Kind}): {Error}")]
    private static partial void LogRunFailed(ILogger logger, GraphErrorKind kind, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report mailbox: the folder '{Folder}' (ReportMailbox:ProcessedFolder) does not exist in the mailbox; create it, or set the option empty to mark reports read instead. Nothing was processed")]
    private static partial void LogNoProcessedFolder(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report mailbox: report {ReportId} not finished ({Kind}): {Error}; it is taken up again on the next run")]
    private static partial void LogMessageFailed(ILogger logger, string reportId, GraphErrorKind kind, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report mailbox: the {What} for report {ReportId} was not sent: {Error}")]
    private static partial void LogReplyFailed(ILogger logger, string reportId, string what, string error);
}
