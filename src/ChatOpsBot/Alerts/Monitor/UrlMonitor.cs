using System.Data.Common;
using System.Globalization;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Alerts.ThreatFeed;
using ChatOpsBot.Integrations.Mimecast;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Alerts.Monitor;

/// <summary>What one run of a job did.</summary>
public sealed record JobRunResult(string JobName, string Outcome, long RecordsRead, long RecordsNew, long AlertsRaised, string? Error)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// The URL monitor (seed 001, redone). Each run reads Mimecast's TTP URL click logs from the last checkpoint (less
/// <see cref="MonitorOptions.OverlapWindow"/>, because logs arrive late) to now, oldest first, in chunks of
/// <see cref="MonitorOptions.QueryChunk"/>. Per chunk, in one transaction: the clicks not seen before (by fingerprint)
/// are stored, detections raise alerts with their outbox rows, and the checkpoint moves to the chunk's end. A crash or
/// a Mimecast failure therefore loses nothing and counts nothing twice: the next run starts at the last committed
/// chunk. The first run starts <see cref="MonitorOptions.AllowedClickWindowDays"/> back and never reads older history.
/// <para>
/// Detection: a click classified malicious whose normalised URL (or registrable domain, when enabled) was clicked and
/// allowed earlier within the window raises one alert for that URL listing every earlier clicker. A click that arrives
/// late (an allowed click older than a malicious one already stored) joins that URL's alert the same way.
/// </para>
/// </summary>
internal sealed partial class UrlMonitor(
    IMimecastClient mimecast,
    AlertDatabase database,
    AlertRaiser raiser,
    UrlNormalizer normalizer,
    IOptions<MonitorOptions> options,
    TimeProvider timeProvider,
    ILogger<UrlMonitor> logger)
{
    public const string JobName = JobNames.UrlMonitor;

    private readonly MonitorOptions _options = options.Value;

    public async Task<JobRunResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset started = timeProvider.GetUtcNow();
        if (!_options.Enabled)
        {
            await FinishAsync(JobRunResult.Skipped, "disabled (Monitor:Enabled)", cancellationToken).ConfigureAwait(false);
            return new JobRunResult(JobName, JobRunResult.Skipped, 0, 0, 0, "disabled");
        }

        if (!mimecast.IsConfigured)
        {
            await FinishAsync(JobRunResult.Skipped, "Mimecast is not configured (Mimecast:ClientId).", cancellationToken).ConfigureAwait(false);
            return new JobRunResult(JobName, JobRunResult.Skipped, 0, 0, 0, "Mimecast is not configured.");
        }

        await database.RunAsync(c => CheckpointStore.StartRunAsync(c, JobName, started, cancellationToken), cancellationToken).ConfigureAwait(false);
        long read = 0;
        long fresh = 0;
        long raised = 0;
        try
        {
            DateTimeOffset windowStart = started - TimeSpan.FromDays(_options.AllowedClickWindowDays);
            JobCheckpoint? checkpoint = await database.ReadAsync(c => CheckpointStore.GetAsync(c, null, JobName, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            DateTimeOffset from = ParseCheckpoint(checkpoint?.Checkpoint) is { } last ? last - _options.OverlapWindow : windowStart;
            if (from < windowStart)
            {
                from = windowStart;
            }

            // The next chunk is read from Mimecast while this one is written: the network (and the JSON) and the
            // database overlap instead of taking turns. Still one Mimecast request at a time, and a chunk is only ever
            // written after the one before it committed, so the checkpoint moves exactly as before.
            using var stopPrefetch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<FetchedChunk>? prefetched = null;
            try
            {
                while (from < started)
                {
                    DateTimeOffset chunkEnd = ChunkEnd(from, started);
                    Task<FetchedChunk> fetch = prefetched ?? FetchAsync(from, chunkEnd, windowStart, cancellationToken);
                    prefetched = null;
                    (MimecastLogResult<MimecastClickLog> page, List<StoredClick> clicks) = await fetch.ConfigureAwait(false);
                    DateTimeOffset next = chunkEnd;
                    if (page.Truncated)
                    {
                        // Oldest first, so what came back is the start of the chunk: continue after it. Records of the last
                        // second are read again and recognised by fingerprint.
                        DateTimeOffset latest = page.Records.Count > 0 ? page.Records.Max(r => r.Date) : from;
                        if (latest <= from)
                        {
                            throw new MimecastApiException(
                                MimecastErrorKind.Failure,
                                $"Mimecast returned more than Mimecast:MaxPages pages of clicks within one second at {from:O}; raise Mimecast:MaxPages.");
                        }

                        next = latest;
                        LogTruncated(from, chunkEnd, latest);
                    }

                    if (next < started)
                    {
                        prefetched = FetchAsync(next, ChunkEnd(next, started), windowStart, stopPrefetch.Token);
                    }

                    DateTimeOffset now = timeProvider.GetUtcNow();
                    (int newClicks, int alerts) = await database.WriteAsync(
                        async (connection, transaction) =>
                        {
                            List<StoredClick> inserted = await ClickStore.InsertNewAsync(connection, transaction, clicks, now, cancellationToken).ConfigureAwait(false);
                            int alertCount = await DetectAsync(connection, transaction, inserted, windowStart, now, cancellationToken).ConfigureAwait(false);
                            await CheckpointStore.AdvanceAsync(
                                connection, transaction, JobName, FormatCheckpoint(next), inserted.Count, alertCount, now, cancellationToken).ConfigureAwait(false);
                            return (inserted.Count, alertCount);
                        },
                        cancellationToken).ConfigureAwait(false);
                    read += page.Records.Count;
                    fresh += newClicks;
                    raised += alerts;
                    from = next;
                }
            }
            finally
            {
                // A write that failed leaves a read of the next chunk running: stop it and observe its end, so nothing
                // outlives the run (its records are read again by the next run, from the committed checkpoint).
                if (prefetched is not null)
                {
                    await stopPrefetch.CancelAsync().ConfigureAwait(false);
                    await prefetched.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                        .ConfigureAwait(false);
                }
            }

            await FinishAsync(JobRunResult.Succeeded, null, cancellationToken).ConfigureAwait(false);
            LogRun(read, fresh, raised);
            return new JobRunResult(JobName, JobRunResult.Succeeded, read, fresh, raised, null);
        }
        catch (MimecastApiException exception)
        {
            // Nothing after the last committed chunk is lost: the next run starts there.
            await FinishAsync(JobRunResult.Failed, exception.Message, CancellationToken.None).ConfigureAwait(false);
            LogFailed(exception.Kind, exception.Message);
            return new JobRunResult(JobName, JobRunResult.Failed, read, fresh, raised, exception.Message);
        }
        catch (OperationCanceledException)
        {
            await JobRunRecorder.RecordFailureAsync(
                () => FinishAsync(JobRunResult.Cancelled, "stopped before it finished; the next run resumes from the last checkpoint", CancellationToken.None),
                JobName,
                logger).ConfigureAwait(false);
            throw;
        }
        catch (DbException exception)
        {
            await JobRunRecorder.RecordFailureAsync(
                () => FinishAsync(JobRunResult.Failed, "database error: " + exception.Message, CancellationToken.None), JobName, logger).ConfigureAwait(false);
            throw;
        }
    }

    private DateTimeOffset ChunkEnd(DateTimeOffset from, DateTimeOffset started) =>
        from + _options.QueryChunk < started ? from + _options.QueryChunk : started;

    /// <summary>One chunk's records from Mimecast, and those inside the window as clicks to store.</summary>
    private async Task<FetchedChunk> FetchAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        MimecastLogResult<MimecastClickLog> page = await mimecast.GetUrlLogsAsync(new MimecastUrlLogQuery(from, to, OldestFirst: true), cancellationToken)
            .ConfigureAwait(false);
        return new FetchedChunk(page, [.. page.Records.Where(r => r.Date >= windowStart).Select(r => StoredClick.From(r, normalizer))]);
    }

    private sealed record FetchedChunk(MimecastLogResult<MimecastClickLog> Page, List<StoredClick> Clicks);

    /// <summary>Raises or extends the alert of every URL that new clicks make a detection, in the caller's transaction.</summary>
    internal async Task<int> DetectAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<StoredClick> inserted,
        DateTimeOffset windowStart,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var malicious = new Dictionary<string, StoredClick>(StringComparer.Ordinal);
        foreach (StoredClick click in inserted)
        {
            if (click.Disposition == ClickDispositions.Malicious && click.ClickedAt >= windowStart)
            {
                string key = KeyOf(click);
                if (!malicious.TryGetValue(key, out StoredClick? known) || click.ClickedAt > known.ClickedAt)
                {
                    malicious[key] = click;
                }
            }
        }

        using var lookups = new ClickStore.Lookups(connection, transaction, _options.MatchByRegistrableDomain, windowStart);
        // An allowed click that shows up after the malicious one (log latency) still makes its clicker exposed.
        foreach (string key in inserted.Where(c => c.Disposition == ClickDispositions.Allowed).Select(KeyOf).Distinct(StringComparer.Ordinal).ToList())
        {
            if (!malicious.ContainsKey(key) && await lookups.LatestMaliciousAsync(key, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                malicious[key] = stored;
            }
        }

        int raised = 0;
        using AlertRaiser.Pass raising = raiser.OpenPass(connection, transaction);
        foreach ((string key, StoredClick bad) in malicious)
        {
            (List<ExposedClick> exposed, int total) = await lookups.FindExposedAsync(key, bad.ClickedAt, _options.MaxExposedListed, cancellationToken)
                .ConfigureAwait(false);
            if (total == 0)
            {
                continue;
            }

            AlertCandidate candidate = Candidate(key, bad, exposed, total, "Mimecast URL Protect: a new click on it was classified malicious", null);
            (RaiseOutcome outcome, _) = await raising.RaiseAsync(candidate, now, cancellationToken).ConfigureAwait(false);
            if (outcome == RaiseOutcome.Raised)
            {
                raised++;
            }
        }

        return raised;
    }

    internal AlertCandidate Candidate(
        string key, StoredClick bad, IReadOnlyList<ExposedClick> exposed, int total, string detectedBy, string? detail, bool? byDomain = null)
    {
        bool domain = byDomain ?? _options.MatchByRegistrableDomain;
        ThreatClassification classification = ThreatMapping.Click(bad.TtpDefinition, bad.CreationMethod);
        var payload = new AlertPayload
        {
            Kind = AlertKinds.ClickedUrlMalicious,
            Headline = domain
                ? "A site people clicked through to (Mimecast allowed it) is now malicious"
                : "A URL people clicked (Mimecast allowed it) is now malicious",
            DetectedBy = detectedBy,
            DetectionDetail = detail,
            AlertType = classification.AlertType,
            TechniqueId = classification.Technique.ThreatId,
            TechniqueName = classification.Technique.ThreatName,
            Url = bad.Url,
            Sender = bad.SenderEmail,
            Recipient = bad.UserEmail,
            Subject = bad.Subject,
            MessageId = bad.MessageId,
            Detail = domain ? "Matched by registrable domain: " + key : null,
            Exposed = [.. exposed],
            ExposedTotal = total,
            EventCount = 1,
            FirstEventAt = bad.ClickedAt,
            LastEventAt = bad.ClickedAt,
        };
        return new AlertCandidate(AlertKinds.ClickedUrlMalicious, (domain ? "domain:" : "url:") + key, payload);
    }

    internal string KeyOf(StoredClick click) =>
        _options.MatchByRegistrableDomain ? click.RegistrableDomain ?? click.NormalizedUrl : click.NormalizedUrl;

    internal static string FormatCheckpoint(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset? ParseCheckpoint(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed)
            ? parsed
            : null;

    private Task FinishAsync(string outcome, string? error, CancellationToken cancellationToken) =>
        database.RunAsync(c => CheckpointStore.FinishRunAsync(c, JobName, outcome, error, timeProvider.GetUtcNow(), cancellationToken), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "URL monitor: {Read} click records read, {New} new, {Alerts} alerts raised")]
    private partial void LogRun(long read, long @new, long alerts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "URL monitor: the click query {From:O}..{To:O} was cut at Mimecast:MaxPages; continuing from {Latest:O}")]
    private partial void LogTruncated(DateTimeOffset from, DateTimeOffset to, DateTimeOffset latest);

    [LoggerMessage(Level = LogLevel.Warning, Message = "URL monitor run failed ({Kind}): {Error}; the next run resumes from the last checkpoint")]
    private partial void LogFailed(MimecastErrorKind kind, string error);
}
