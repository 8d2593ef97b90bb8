using ChatOpsBot.Alerts.Cards;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Cards.Model;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Alerts;

public enum AlertActionOutcome
{
    /// <summary>Done; <see cref="AlertActionResult.Card"/> is the card to show in place of the old one.</summary>
    Done,

    /// <summary>Someone acknowledged it already; the card shows who and when.</summary>
    AlreadyAcknowledged,

    /// <summary>No alert has that id (or it was purged).</summary>
    NotFound,
}

/// <summary>The result of a card button; <see cref="Card"/> (with <see cref="Alert"/>) is null only for NotFound.</summary>
public sealed record AlertActionResult(AlertActionOutcome Outcome, AlertRecord? Alert, AdaptiveCard? Card);

/// <summary>One scheduled job, for <c>monitor status</c>.</summary>
public sealed record JobStatus(
    string JobName,
    bool Enabled,
    DateTimeOffset? LastRunStartedAt,
    DateTimeOffset? LastRunFinishedAt,
    string? LastOutcome,
    string? LastError,
    DateTimeOffset? NextRunAt,
    long RecordsIngested,
    long AlertsRaised);

/// <summary>
/// What <c>monitor status</c> shows. <see cref="UnknownDeliveries"/> are sends interrupted by a process stop whose
/// outcome the channel could not confirm: someone should check the target.
/// </summary>
public sealed record MonitorStatus(
    IReadOnlyList<JobStatus> Jobs,
    long OpenAlerts,
    long PendingDeliveries,
    long SendingDeliveries,
    long SentDeliveries,
    long FailedDeliveries,
    long ExpiredDeliveries,
    long UnknownDeliveries,
    int ConfiguredTargets);

/// <summary>The alert actions the card buttons and the <c>monitor status</c> command call.</summary>
public interface IAlertService
{
    /// <summary><c>alert ack</c>: records who and when; later detections of the same thing are counted, not posted.</summary>
    Task<AlertActionResult> AcknowledgeAsync(string alertId, AlertActor actor, CancellationToken cancellationToken);

    /// <summary><c>alert snooze</c>: suppresses (and counts) repeats for <see cref="AlertsOptions.SnoozeDuration"/> (24 h).</summary>
    Task<AlertActionResult> SnoozeAsync(string alertId, AlertActor actor, CancellationToken cancellationToken);

    Task<AlertRecord?> GetAsync(string alertId, CancellationToken cancellationToken);

    /// <summary>The alerts raised most recently, newest first (at most 100).</summary>
    Task<IReadOnlyList<AlertRecord>> RecentAsync(int count, CancellationToken cancellationToken);

    /// <summary><c>monitor status</c>: last and next run, records ingested, alerts raised and pending, last error.</summary>
    Task<MonitorStatus> GetStatusAsync(CancellationToken cancellationToken);
}

/// <summary>The admin <c>subscribe</c> / <c>unsubscribe</c> commands: which conversations get which alerts.</summary>
public interface IAlertSubscriptions
{
    /// <summary>
    /// Subscribes a conversation the bot has a stored reference for to <paramref name="alertKind"/> (one of
    /// <see cref="AlertKinds.Subscribable"/>). False when it already was. <see cref="ArgumentException"/> for an unknown
    /// kind; <see cref="InvalidOperationException"/> when the bot has no reference for the conversation yet.
    /// </summary>
    Task<bool> SubscribeAsync(string channelId, string conversationId, string alertKind, string createdBy, CancellationToken cancellationToken);

    /// <summary>Removes one kind, or all when <paramref name="alertKind"/> is null; how many were removed.</summary>
    Task<int> UnsubscribeAsync(string channelId, string conversationId, string? alertKind, CancellationToken cancellationToken);

    /// <summary>All subscriptions, or those of one conversation.</summary>
    Task<IReadOnlyList<AlertSubscription>> ListAsync(string? channelId, string? conversationId, CancellationToken cancellationToken);
}

/// <summary>Reads the scheduler's next fire time of a job; the Quartz glue implements it.</summary>
public interface IJobScheduleReader
{
    Task<DateTimeOffset?> NextRunAsync(string jobName, CancellationToken cancellationToken);
}

internal sealed class AlertService(
    AlertDatabase database,
    AlertRaiser raiser,
    IOptions<AlertsOptions> alertsOptions,
    IOptions<MonitorOptions> monitorOptions,
    IOptions<Intake.ReportMailboxOptions> reportMailboxOptions,
    TimeProvider timeProvider,
    IEnumerable<IJobScheduleReader> scheduleReaders) : IAlertService, IAlertSubscriptions
{
    public const int MaxRecent = 100;

    public async Task<AlertActionResult> AcknowledgeAsync(string alertId, AlertActor actor, CancellationToken cancellationToken)
    {
        ValidateActor(actor);
        if (!AlertIds.LooksValid(alertId))
        {
            return new AlertActionResult(AlertActionOutcome.NotFound, null, null);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        (bool changed, AlertRecord? alert) = await database.WriteAsync(
            async (c, t) =>
            {
                bool done = await AlertStore.AcknowledgeAsync(c, t, alertId, actor, now, cancellationToken).ConfigureAwait(false);
                return (done, await AlertStore.GetAsync(c, t, alertId, cancellationToken).ConfigureAwait(false));
            },
            cancellationToken).ConfigureAwait(false);
        return Result(changed, alert, now);
    }

    public async Task<AlertActionResult> SnoozeAsync(string alertId, AlertActor actor, CancellationToken cancellationToken)
    {
        ValidateActor(actor);
        if (!AlertIds.LooksValid(alertId))
        {
            return new AlertActionResult(AlertActionOutcome.NotFound, null, null);
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        (bool changed, AlertRecord? alert) = await database.WriteAsync(
            async (c, t) =>
            {
                bool done = await AlertStore.SnoozeAsync(c, t, alertId, actor, now, now + alertsOptions.Value.SnoozeDuration, cancellationToken).ConfigureAwait(false);
                return (done, await AlertStore.GetAsync(c, t, alertId, cancellationToken).ConfigureAwait(false));
            },
            cancellationToken).ConfigureAwait(false);
        return Result(changed, alert, now);
    }

    public Task<AlertRecord?> GetAsync(string alertId, CancellationToken cancellationToken) =>
        AlertIds.LooksValid(alertId)
            ? database.ReadAsync(c => AlertStore.GetAsync(c, null, alertId, cancellationToken), cancellationToken)
            : Task.FromResult<AlertRecord?>(null);

    public async Task<IReadOnlyList<AlertRecord>> RecentAsync(int count, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => AlertStore.RecentAsync(c, Math.Clamp(count, 1, MaxRecent), cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<MonitorStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        (List<JobCheckpoint> checkpoints, Dictionary<string, long> deliveries, long open, int targets) = await database.ReadAsync(
            async c => (
                await CheckpointStore.ListAsync(c, cancellationToken).ConfigureAwait(false),
                await AlertStore.CountDeliveriesByStatusAsync(c, cancellationToken).ConfigureAwait(false),
                await AlertStore.CountOpenAlertsAsync(c, now, cancellationToken).ConfigureAwait(false),
                (await raiser.TargetsAsync(c, null, AlertKinds.All, cancellationToken).ConfigureAwait(false)).Count),
            cancellationToken).ConfigureAwait(false);

        MonitorOptions monitor = monitorOptions.Value;
        AlertsOptions alerts = alertsOptions.Value;
        (string Name, bool Enabled)[] jobs =
        [
            (JobNames.UrlMonitor, monitor.Enabled),
            (JobNames.UrlRecheck, monitor.Enabled && monitor.RecheckEnabled),
            (JobNames.ThreatFeed, alerts.Enabled && alerts.ThreatFeedEnabled),
            (JobNames.ReportMailbox, reportMailboxOptions.Value.Enabled),
        ];
        var statuses = new List<JobStatus>();
        foreach ((string name, bool enabled) in jobs)
        {
            JobCheckpoint? checkpoint = checkpoints.FirstOrDefault(c => c.JobName == name);
            DateTimeOffset? next = null;
            foreach (IJobScheduleReader reader in scheduleReaders)
            {
                next ??= await reader.NextRunAsync(name, cancellationToken).ConfigureAwait(false);
            }

            statuses.Add(new JobStatus(
                name,
                enabled,
                checkpoint?.LastRunStartedAt,
                checkpoint?.LastRunFinishedAt,
                checkpoint?.LastRunOutcome,
                checkpoint?.LastError,
                next,
                checkpoint?.RecordsIngested ?? 0,
                checkpoint?.AlertsRaised ?? 0));
        }

        return new MonitorStatus(
            statuses,
            open,
            deliveries.GetValueOrDefault(DeliveryStatuses.Pending),
            deliveries.GetValueOrDefault(DeliveryStatuses.Sending),
            deliveries.GetValueOrDefault(DeliveryStatuses.Sent),
            deliveries.GetValueOrDefault(DeliveryStatuses.Failed),
            deliveries.GetValueOrDefault(DeliveryStatuses.Expired),
            deliveries.GetValueOrDefault(DeliveryStatuses.OutcomeUnknown),
            targets);
    }

    public async Task<bool> SubscribeAsync(string channelId, string conversationId, string alertKind, string createdBy, CancellationToken cancellationToken)
    {
        ValidateConversation(channelId, conversationId);
        if (!AlertKinds.IsSubscribable(alertKind))
        {
            throw new ArgumentException($"Alert kind must be one of {string.Join(", ", AlertKinds.Subscribable)}.", nameof(alertKind));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(createdBy);
        DateTimeOffset now = timeProvider.GetUtcNow();
        return await database.WriteAsync(
            async (c, t) =>
            {
                if (!await SubscriptionStore.ConversationExistsAsync(c, t, channelId, conversationId, cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException("The bot has no stored reference for this conversation yet; send it a message there first.");
                }

                return await SubscriptionStore.AddAsync(c, t, new AlertSubscription(channelId, conversationId, alertKind, createdBy, now), cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<int> UnsubscribeAsync(string channelId, string conversationId, string? alertKind, CancellationToken cancellationToken)
    {
        ValidateConversation(channelId, conversationId);
        return database.WriteAsync((c, t) => SubscriptionStore.RemoveAsync(c, t, channelId, conversationId, alertKind, cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<AlertSubscription>> ListAsync(string? channelId, string? conversationId, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => SubscriptionStore.ListAsync(c, null, channelId, conversationId, null, cancellationToken), cancellationToken).ConfigureAwait(false);

    private static AlertActionResult Result(bool changed, AlertRecord? alert, DateTimeOffset now)
    {
        if (alert is null)
        {
            return new AlertActionResult(AlertActionOutcome.NotFound, null, null);
        }

        AlertActionOutcome outcome = changed ? AlertActionOutcome.Done : AlertActionOutcome.AlreadyAcknowledged;
        return new AlertActionResult(outcome, alert, AlertCard.Build(alert, now));
    }

    private static void ValidateActor(AlertActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Id, nameof(actor));
    }

    private static void ValidateConversation(string channelId, string conversationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        if (!AlertTarget.TryParse(AlertTarget.Conversation(channelId, conversationId).Value, out _, out string? problem))
        {
            throw new ArgumentException("The conversation target " + problem, nameof(conversationId));
        }
    }
}
