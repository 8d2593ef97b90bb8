using System.Data.Common;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Alerts;

/// <summary>A detection, before it is an alert. <see cref="SubjectKey"/> says what it is about (a normalised URL; an
/// alert type with a sender or URL); detections with the same key fold into one alert while it is current.</summary>
internal sealed record AlertCandidate(string Kind, string SubjectKey, AlertPayload Payload, TimeSpan? ContinuesWithin = null);

internal enum RaiseOutcome
{
    /// <summary>A new alert, stored with one outbox row per target.</summary>
    Raised,

    /// <summary>Folded into the current alert about the same thing, which is not posted again.</summary>
    Folded,

    /// <summary>The current alert about the same thing is acknowledged or snoozed: counted, not posted.</summary>
    Suppressed,
}

/// <summary>
/// Turns detections into stored alerts, in the detecting job's transaction, so an alert exists (with its outbox rows)
/// exactly when the records that raised it are stored. An alert is current until it expires
/// (<see cref="AlertsOptions.AlertLifetime"/>), and for bursts only while events keep coming within
/// <see cref="AlertCandidate.ContinuesWithin"/>; a snoozed alert suppresses repeats until its snooze ends, whatever else.
/// </summary>
internal sealed class AlertRaiser(IOptions<AlertsOptions> alertsOptions, IOptions<SmtpOptions> smtpOptions)
{
    private readonly AlertsOptions _options = alertsOptions.Value;

    /// <summary>Raises one detection (a job that raises many in one transaction opens a <see cref="Pass"/>).</summary>
    public async Task<(RaiseOutcome Outcome, string AlertId)> RaiseAsync(
        DbConnection connection, DbTransaction transaction, AlertCandidate candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using Pass pass = new(this, connection, transaction, prepare: false);
        return await pass.RaiseAsync(candidate, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts raising many detections in one transaction: statements are built once and the targets of each
    /// alert kind looked up once (subscriptions cannot change under the transaction's write lock).</summary>
    public Pass OpenPass(DbConnection connection, DbTransaction transaction) => new(this, connection, transaction, prepare: true);

    /// <summary>Configured targets, <c>Smtp:Recipients</c> and subscribed conversations, without repeats.</summary>
    public async Task<IReadOnlyList<string>> TargetsAsync(
        DbConnection connection, DbTransaction? transaction, string kind, CancellationToken cancellationToken)
    {
        var targets = new List<string>();
        foreach (string configured in _options.Targets)
        {
            if (AlertTarget.TryParse(configured, out AlertTarget? target, out _))
            {
                targets.Add(target.Value);
            }
        }

        foreach (string recipient in smtpOptions.Value.Recipients)
        {
            targets.Add(AlertTarget.Mail(recipient.Trim()).Value);
        }

        foreach (AlertSubscription subscription in await SubscriptionStore.ListAsync(connection, transaction, null, null, kind, cancellationToken).ConfigureAwait(false))
        {
            targets.Add(AlertTarget.Conversation(subscription.ChannelId, subscription.ConversationId).Value);
        }

        return [.. targets.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>A later detection folded into an alert: earlier clickers are united (newest first), counts add up.</summary>
    internal static AlertPayload Merge(AlertPayload existing, AlertPayload later)
    {
        int listed = Math.Max(existing.Exposed.Count, later.Exposed.Count);
        List<ExposedClick> exposed = [.. existing.Exposed.Concat(later.Exposed)
            .DistinctBy(e => (e.ClickedAt, e.User.ToUpperInvariant(), e.Url))
            .OrderByDescending(e => e.ClickedAt)];
        int total = Math.Max(Math.Max(existing.ExposedTotal, later.ExposedTotal), exposed.Count);
        return existing with
        {
            Exposed = [.. exposed.Take(Math.Max(listed, 1))],
            ExposedTotal = total,
            EventCount = existing.EventCount + later.EventCount,
            FirstEventAt = existing.FirstEventAt <= later.FirstEventAt ? existing.FirstEventAt : later.FirstEventAt,
            LastEventAt = existing.LastEventAt >= later.LastEventAt ? existing.LastEventAt : later.LastEventAt,
            DetectionDetail = later.DetectionDetail ?? existing.DetectionDetail,
        };
    }

    /// <summary>Detections raised in one transaction; dispose it before the transaction ends.</summary>
    internal sealed class Pass(AlertRaiser raiser, DbConnection connection, DbTransaction transaction, bool prepare) : IDisposable
    {
        private readonly AlertWriteStatements _statements = new(connection, transaction, prepare);
        private readonly Dictionary<string, IReadOnlyList<string>> _targetsByKind = new(StringComparer.Ordinal);

        public async Task<(RaiseOutcome Outcome, string AlertId)> RaiseAsync(AlertCandidate candidate, DateTimeOffset now, CancellationToken cancellationToken)
        {
            string subjectKey = StoredKey.For(candidate.SubjectKey);
            AlertRecord? latest = await _statements.LatestAsync(candidate.Kind, subjectKey, cancellationToken).ConfigureAwait(false);
            if (latest is not null)
            {
                bool current = now < latest.ExpiresAt
                    && (candidate.ContinuesWithin is not TimeSpan within || candidate.Payload.FirstEventAt - latest.Payload.LastEventAt <= within);
                bool snoozed = latest.IsSnoozedAt(now);
                if (snoozed || current)
                {
                    AlertPayload merged = Merge(latest.Payload, candidate.Payload);
                    await _statements.RecordRepeatAsync(latest.AlertId, merged, now, cancellationToken).ConfigureAwait(false);
                    bool suppressed = snoozed || latest.Status == AlertStatuses.Acknowledged;
                    return (suppressed ? RaiseOutcome.Suppressed : RaiseOutcome.Folded, latest.AlertId);
                }
            }

            long raisedAt = UnixTime.ToMilliseconds(now);
            // Two episodes of one subject can start in the same run (a burst, a gap, another burst): the first event's
            // time tells them apart.
            string alertId = AlertIds.For(candidate.Kind, subjectKey + "\n" + UnixTime.ToMilliseconds(candidate.Payload.FirstEventAt), raisedAt);
            var alert = new AlertRecord(
                alertId, candidate.Kind, subjectKey, AlertStatuses.Open, candidate.Payload, now, now, now + raiser._options.AlertLifetime,
                null, null, null, null, null, 0, null);
            await _statements.InsertAsync(alert, cancellationToken).ConfigureAwait(false);
            if (!_targetsByKind.TryGetValue(candidate.Kind, out IReadOnlyList<string>? targets))
            {
                targets = await raiser.TargetsAsync(connection, transaction, candidate.Kind, cancellationToken).ConfigureAwait(false);
                _targetsByKind[candidate.Kind] = targets;
            }

            await _statements.AddDeliveriesAsync(alertId, targets, now, cancellationToken).ConfigureAwait(false);
            return (RaiseOutcome.Raised, alertId);
        }

        public void Dispose() => _statements.Dispose();
    }
}
