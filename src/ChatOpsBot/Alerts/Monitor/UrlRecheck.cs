using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Integrations.VirusTotal;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Alerts.Monitor;

/// <summary>
/// Beyond the seed: a URL can turn malicious without anyone clicking it again, which the click log alone never shows.
/// This asks VirusTotal (through <see cref="IReputationService"/>: its rate limiter, daily budget and cache) about the
/// distinct allowed URLs of the last <see cref="MonitorOptions.RecheckLookbackDays"/>, newest first, at most
/// <see cref="MonitorOptions.RecheckMaxUrls"/> per run, and raises the monitor's alert for each one engines now call
/// malicious, "found by re-check". A URL the monitor already alerted on folds into that alert.
/// </summary>
internal sealed partial class UrlRecheck(
    IReputationService reputation,
    AlertDatabase database,
    AlertRaiser raiser,
    UrlMonitor monitor,
    IOptions<MonitorOptions> options,
    TimeProvider timeProvider,
    ILogger<UrlRecheck> logger)
{
    public const string JobName = JobNames.UrlRecheck;

    private readonly MonitorOptions _options = options.Value;

    public async Task<JobRunResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset started = timeProvider.GetUtcNow();
        if (!_options.Enabled || !_options.RecheckEnabled || !reputation.IsConfigured)
        {
            string why = reputation.IsConfigured ? "disabled (Monitor:Enabled / Monitor:RecheckEnabled)" : "VirusTotal is not configured (VirusTotal:ApiKey)";
            await database.RunAsync(c => CheckpointStore.FinishRunAsync(c, JobName, JobRunResult.Skipped, why, started, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new JobRunResult(JobName, JobRunResult.Skipped, 0, 0, 0, why);
        }

        await database.RunAsync(c => CheckpointStore.StartRunAsync(c, JobName, started, cancellationToken), cancellationToken).ConfigureAwait(false);
        DateTimeOffset windowStart = started - TimeSpan.FromDays(_options.AllowedClickWindowDays);
        DateTimeOffset since = started - TimeSpan.FromDays(Math.Min(_options.RecheckLookbackDays, _options.AllowedClickWindowDays));
        List<(string NormalizedUrl, string Url)> urls = await database.ReadAsync(
            c => ClickStore.DistinctAllowedUrlsAsync(c, since, _options.RecheckMaxUrls, cancellationToken), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ReputationResult> answers = urls.Count == 0
            ? []
            : await reputation.LookupAsync([.. urls.Select(u => ReputationQuery.Url(u.Url))], _options.RecheckDeadline, cancellationToken).ConfigureAwait(false);

        int unanswered = answers.Count(a => a.Status is ReputationStatus.Unavailable or ReputationStatus.QuotaExhausted);
        int raised = 0;
        DateTimeOffset now = timeProvider.GetUtcNow();
        for (int i = 0; i < answers.Count; i++)
        {
            if (answers[i].Status != ReputationStatus.Malicious)
            {
                continue;
            }

            string key = urls[i].NormalizedUrl;
            string summary = answers[i].Summary;
            raised += await database.WriteAsync(
                async (connection, transaction) =>
                {
                    (List<StoredClick> exposed, int total) = await ClickStore.FindAllowedAsync(
                        connection, transaction, key, byDomain: false, windowStart, now.AddTicks(1), _options.MaxExposedListed, cancellationToken).ConfigureAwait(false);
                    if (total == 0)
                    {
                        return 0;
                    }

                    AlertCandidate candidate = monitor.Candidate(key, exposed[0], [.. exposed.Select(c => c.ToExposed())], total, "VirusTotal re-check: found by re-check of allowed URLs", summary, byDomain: false);
                    (RaiseOutcome outcome, _) = await raiser.RaiseAsync(connection, transaction, candidate, now, cancellationToken).ConfigureAwait(false);
                    int count = outcome == RaiseOutcome.Raised ? 1 : 0;
                    await CheckpointStore.AdvanceAsync(connection, transaction, JobName, null, 0, count, now, cancellationToken).ConfigureAwait(false);
                    return count;
                },
                cancellationToken).ConfigureAwait(false);
        }

        string? note = unanswered > 0 ? $"{unanswered} of {urls.Count} URLs got no VirusTotal answer this run (rate limit, budget or errors); they are asked again next run" : null;
        await database.RunAsync(
            c => CheckpointStore.FinishRunAsync(c, JobName, JobRunResult.Succeeded, note, timeProvider.GetUtcNow(), cancellationToken), cancellationToken).ConfigureAwait(false);
        LogRun(urls.Count, unanswered, raised);
        return new JobRunResult(JobName, JobRunResult.Succeeded, urls.Count, answers.Count - unanswered, raised, note);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "URL re-check: {Urls} allowed URLs asked, {Unanswered} without an answer, {Alerts} alerts raised")]
    private partial void LogRun(int urls, int unanswered, int alerts);
}
