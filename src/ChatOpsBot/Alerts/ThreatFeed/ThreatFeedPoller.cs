using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Alerts.ThreatFeed;

/// <summary>One TTP event worth an alert, whatever log it came from.</summary>
internal sealed record ThreatEvent(
    string Source,
    string Fingerprint,
    DateTimeOffset At,
    ThreatClassification Classification,
    string GroupKey,
    string? Sender,
    string? Recipient,
    string? Subject,
    string? Url,
    string? MessageId,
    string? Detail);

/// <summary>
/// The threat feed (seed 002): polls Mimecast's TTP attachment, impersonation and URL logs from each log's checkpoint
/// (less <see cref="AlertsOptions.ThreatFeedOverlap"/>; the first poll starts <see cref="AlertsOptions.ThreatFeedInitialLookback"/>
/// back), drops what Mimecast marked clean (URL clicks) or safe (attachments), maps each event to seed 002's alert type
/// and ATT&amp;CK technique, and groups bursts: events of one type from the same sender (for URLs, on the same
/// normalised URL) less than <see cref="AlertsOptions.BurstWindow"/> apart are one alert with a count. Events already
/// seen are recognised by a fingerprint kept in <c>inbound_deliveries</c>, so the overlap never counts one twice; each
/// log's events, alerts and checkpoint commit in one transaction.
/// </summary>
internal sealed partial class ThreatFeedPoller(
    IMimecastClient mimecast,
    AlertDatabase database,
    AlertRaiser raiser,
    UrlNormalizer normalizer,
    IOptions<AlertsOptions> options,
    TimeProvider timeProvider,
    ILogger<ThreatFeedPoller> logger)
{
    public const string JobName = JobNames.ThreatFeed;
    public const string DeduplicationSource = "threat-feed";

    /// <summary>However long the bot was down, a poll reads at most this far back.</summary>
    public static readonly TimeSpan MaxCatchUp = TimeSpan.FromDays(7);

    /// <summary>Fingerprints are kept this long: far beyond any overlap.</summary>
    public static readonly TimeSpan FingerprintLifetime = TimeSpan.FromDays(8);

    private const int TextLimit = 1024;

    private readonly AlertsOptions _options = options.Value;

    public async Task<JobRunResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset started = timeProvider.GetUtcNow();
        if (!_options.Enabled || !_options.ThreatFeedEnabled || !mimecast.IsConfigured)
        {
            string why = mimecast.IsConfigured ? "disabled (Alerts:Enabled / Alerts:ThreatFeedEnabled)" : "Mimecast is not configured (Mimecast:ClientId)";
            await database.RunAsync(c => CheckpointStore.FinishRunAsync(c, JobName, JobRunResult.Skipped, why, started, cancellationToken), cancellationToken).ConfigureAwait(false);
            return new JobRunResult(JobName, JobRunResult.Skipped, 0, 0, 0, why);
        }

        await database.RunAsync(c => CheckpointStore.StartRunAsync(c, JobName, started, cancellationToken), cancellationToken).ConfigureAwait(false);
        long read = 0, fresh = 0, raised = 0;
        var errors = new List<string>();
        foreach (string source in (string[])["attachment", "impersonation", "url"])
        {
            try
            {
                (long r, long f, long a) = await PollAsync(source, started, cancellationToken).ConfigureAwait(false);
                read += r;
                fresh += f;
                raised += a;
            }
            catch (MimecastApiException exception)
            {
                // One log failing does not hold the others back; it resumes from its own checkpoint next time.
                errors.Add($"{source} logs: {exception.Message}");
                LogFailed(source, exception.Kind, exception.Message);
            }
        }

        string outcome = errors.Count == 0 ? JobRunResult.Succeeded : JobRunResult.Failed;
        string? error = errors.Count == 0 ? null : string.Join("; ", errors);
        await database.RunAsync(c => CheckpointStore.FinishRunAsync(c, JobName, outcome, error, timeProvider.GetUtcNow(), CancellationToken.None), CancellationToken.None)
            .ConfigureAwait(false);
        return new JobRunResult(JobName, outcome, read, fresh, raised, error);
    }

    private async Task<(long Read, long New, long Alerts)> PollAsync(string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string checkpointName = JobName + "/" + source;
        JobCheckpoint? checkpoint = await database.ReadAsync(c => CheckpointStore.GetAsync(c, null, checkpointName, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        DateTimeOffset from = UrlMonitor.ParseCheckpoint(checkpoint?.Checkpoint) is { } last ? last - _options.ThreatFeedOverlap : now - _options.ThreatFeedInitialLookback;
        if (from < now - MaxCatchUp)
        {
            from = now - MaxCatchUp;
        }

        (List<ThreatEvent> events, int read, bool truncated) = await FetchAsync(source, from, now, cancellationToken).ConfigureAwait(false);
        DateTimeOffset next = truncated && events.Count > 0 ? events.Max(e => e.At) : now;
        DateTimeOffset writeTime = timeProvider.GetUtcNow();
        (int fresh, int alerts) = await database.WriteAsync(
            async (connection, transaction) =>
            {
                int newEvents = 0;
                int raisedAlerts = 0;
                using AlertRaiser.Pass raising = raiser.OpenPass(connection, transaction);
                foreach (ThreatEvent threat in events.OrderBy(e => e.At).ThenBy(e => e.Fingerprint, StringComparer.Ordinal))
                {
                    if (!await FirstSightingAsync(connection, transaction, threat.Fingerprint, writeTime, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    newEvents++;
                    (RaiseOutcome outcome, _) = await raising.RaiseAsync(Candidate(threat), writeTime, cancellationToken).ConfigureAwait(false);
                    raisedAlerts += outcome == RaiseOutcome.Raised ? 1 : 0;
                }

                await CheckpointStore.AdvanceAsync(
                    connection, transaction, checkpointName, UrlMonitor.FormatCheckpoint(next), newEvents, raisedAlerts, writeTime, cancellationToken).ConfigureAwait(false);
                await CheckpointStore.AdvanceAsync(connection, transaction, JobName, null, newEvents, raisedAlerts, writeTime, cancellationToken).ConfigureAwait(false);
                return (newEvents, raisedAlerts);
            },
            cancellationToken).ConfigureAwait(false);
        return (read, fresh, alerts);
    }

    private async Task<(List<ThreatEvent> Events, int Read, bool Truncated)> FetchAsync(
        string source, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        switch (source)
        {
            case "attachment":
                MimecastLogResult<MimecastAttachmentLog> attachments = await mimecast.GetAttachmentLogsAsync(
                    new MimecastAttachmentLogQuery(from, to, OldestFirst: true), cancellationToken).ConfigureAwait(false);
                return ([.. attachments.Records.Where(a => !IsWord(a.Result, "safe")).Select(Attachment)], attachments.Records.Count, attachments.Truncated);
            case "impersonation":
                MimecastLogResult<MimecastImpersonationLog> impersonations = await mimecast.GetImpersonationLogsAsync(
                    new MimecastImpersonationLogQuery(from, to, OldestFirst: true), cancellationToken).ConfigureAwait(false);
                return ([.. impersonations.Records.Select(Impersonation)], impersonations.Records.Count, impersonations.Truncated);
            default:
                MimecastLogResult<MimecastClickLog> clicks = await mimecast.GetUrlLogsAsync(
                    new MimecastUrlLogQuery(from, to, OldestFirst: true), cancellationToken).ConfigureAwait(false);
                return ([.. clicks.Records.Where(c => !IsWord(c.ScanResult, "clean")).Select(Click)], clicks.Records.Count, clicks.Truncated);
        }
    }

    private AlertCandidate Candidate(ThreatEvent threat)
    {
        var payload = new AlertPayload
        {
            Kind = AlertKinds.ThreatFeed,
            Headline = threat.Classification.AlertType switch
            {
                "Unsafe Email Attachment" => "Unsafe email attachment",
                "Impersonation Attempt" => "Impersonation attempt",
                _ => "Malicious URL in mail",
            },
            DetectedBy = $"Mimecast TTP {threat.Source} log",
            AlertType = threat.Classification.AlertType,
            TechniqueId = threat.Classification.Technique.ThreatId,
            TechniqueName = threat.Classification.Technique.ThreatName,
            Url = threat.Url,
            Sender = threat.Sender,
            Recipient = threat.Recipient,
            Subject = threat.Subject,
            MessageId = threat.MessageId,
            Detail = threat.Detail,
            EventCount = 1,
            FirstEventAt = threat.At,
            LastEventAt = threat.At,
        };
        return new AlertCandidate(AlertKinds.ThreatFeed, threat.Classification.AlertType + "|" + threat.GroupKey, payload, _options.BurstWindow);
    }

    private static ThreatEvent Attachment(MimecastAttachmentLog log)
    {
        string? detail = Join(
            log.FileName is null ? null : "file " + log.FileName,
            log.FileHash is null ? null : "SHA-256 " + log.FileHash,
            log.Result is null ? null : "result " + log.Result,
            log.Definition);
        return new ThreatEvent(
            "attachment",
            Fingerprint("a", log.Date, log.MessageId, log.RecipientAddress, log.FileHash, log.FileName, log.Result),
            log.Date,
            ThreatMapping.Attachment(),
            "sender:" + Lower(log.SenderAddress),
            Text(log.SenderAddress),
            Text(log.RecipientAddress),
            Text(log.Subject),
            null,
            Text(log.MessageId),
            Text(detail));
    }

    private static ThreatEvent Impersonation(MimecastImpersonationLog log)
    {
        string? detail = Join(
            log.Definition,
            log.Identifiers.Count == 0 ? null : "identifiers " + string.Join(", ", log.Identifiers),
            log.Action is null ? null : "action " + log.Action,
            log.TaggedMalicious == true ? "tagged malicious" : null);
        return new ThreatEvent(
            "impersonation",
            Fingerprint("i", log.EventTime, log.Id, log.MessageId, log.RecipientAddress, log.SenderAddress, null),
            log.EventTime,
            ThreatMapping.Impersonation(),
            "sender:" + Lower(log.SenderAddress),
            Text(log.SenderAddress),
            Text(log.RecipientAddress),
            Text(log.Subject),
            null,
            Text(log.MessageId),
            Text(detail));
    }

    private ThreatEvent Click(MimecastClickLog log) => new(
        "URL",
        StoredClick.FingerprintOf(log),
        log.Date,
        ThreatMapping.Click(log),
        "url:" + normalizer.Normalize(log.Url).NormalizedUrl,
        Text(log.FromUserEmailAddress),
        Text(log.UserEmailAddress),
        Text(log.Subject),
        Text(log.Url),
        Text(log.MessageId),
        Text(Join(log.ScanResult is null ? null : "scan " + log.ScanResult, log.Action is null ? null : "action " + log.Action, log.Category)));

    private static async Task<bool> FirstSightingAsync(
        DbConnection connection, DbTransaction transaction, string fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using DbCommand upsert = connection.Command(transaction, """
            INSERT INTO inbound_deliveries (source, delivery_id, received_at, expires_at)
            VALUES (@source, @id, @now, @expires)
            ON CONFLICT (source, delivery_id) DO UPDATE SET received_at = excluded.received_at, expires_at = excluded.expires_at
            WHERE inbound_deliveries.expires_at <= @now
            """)
            .With("@source", DeduplicationSource)
            .With("@id", fingerprint)
            .With("@now", UnixTime.ToMilliseconds(now))
            .With("@expires", UnixTime.ToMilliseconds(now + FingerprintLifetime));
        return await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static string Fingerprint(string kind, DateTimeOffset at, params string?[] fields)
    {
        var text = new StringBuilder(kind).Append('|').Append(at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        foreach (string? field in fields)
        {
            text.Append('|').Append((field?.Length ?? -1).ToString(CultureInfo.InvariantCulture)).Append(':').Append(field);
        }

        return "t1:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static bool IsWord(string? value, string word) => string.Equals(value?.Trim(), word, StringComparison.OrdinalIgnoreCase);

    private static string Lower(string? value) => (value ?? "").Trim().ToUpperInvariant();

    private static string? Text(string? value) => FieldText.TruncateOrNull(value, TextLimit);

    private static string? Join(params string?[] parts)
    {
        string joined = string.Join("; ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
        return joined.Length == 0 ? null : joined;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Threat feed: polling the {Source} logs failed ({Kind}): {Error}; it resumes from its checkpoint")]
    private partial void LogFailed(string source, MimecastErrorKind kind, string error);
}
