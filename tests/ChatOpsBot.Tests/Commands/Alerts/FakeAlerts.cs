using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Cards.Builders;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Commands.Alerts;

/// <summary>The alert services the alert commands call, in memory, registered with those commands.</summary>
internal sealed class FakeAlerts : IAlertService, IAlertSubscriptions
{
    private readonly List<AlertSubscription> _subscriptions = [];

    public MonitorStatus Status { get; set; } = new([], 0, 0, 0, 0, 0, 0, 0, 0);

    public int StatusCalls { get; private set; }

    /// <summary>Conversations the bot has a stored reference for ("channel|conversation").</summary>
    public HashSet<string> KnownConversations { get; } = [];

    public IReadOnlyList<AlertSubscription> Subscriptions => _subscriptions;

    public void Register(IServiceCollection services)
    {
        services.AddSingleton<IAlertService>(this);
        services.AddSingleton<IAlertSubscriptions>(this);
        services.AddChatOpsAlertCommands();
    }

    public Task<MonitorStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        StatusCalls++;
        return Task.FromResult(Status);
    }

    public Task<bool> SubscribeAsync(string channelId, string conversationId, string alertKind, string createdBy, CancellationToken cancellationToken)
    {
        if (!AlertKinds.IsSubscribable(alertKind))
        {
            throw new ArgumentException("unknown kind", nameof(alertKind));
        }

        if (!KnownConversations.Contains(channelId + "|" + conversationId))
        {
            throw new InvalidOperationException("no conversation reference");
        }

        if (_subscriptions.Any(s => s.ChannelId == channelId && s.ConversationId == conversationId && s.AlertKind == alertKind))
        {
            return Task.FromResult(false);
        }

        _subscriptions.Add(new AlertSubscription(channelId, conversationId, alertKind, createdBy, DateTimeOffset.UnixEpoch));
        return Task.FromResult(true);
    }

    public Task<int> UnsubscribeAsync(string channelId, string conversationId, string? alertKind, CancellationToken cancellationToken) =>
        Task.FromResult(_subscriptions.RemoveAll(s => s.ChannelId == channelId && s.ConversationId == conversationId && (alertKind is null || s.AlertKind == alertKind)));

    public Task<IReadOnlyList<AlertSubscription>> ListAsync(string? channelId, string? conversationId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlertSubscription>>([.. _subscriptions]);

    /// <summary>Alert ids that exist.</summary>
    public HashSet<string> KnownAlerts { get; } = [];

    /// <summary>Every acknowledge or snooze asked for: (action, alert id, actor).</summary>
    public List<(string Action, string AlertId, AlertActor Actor)> Actions { get; } = [];

    public Task<AlertActionResult> AcknowledgeAsync(string alertId, AlertActor actor, CancellationToken cancellationToken) => Act("ack", alertId, actor);

    public Task<AlertActionResult> SnoozeAsync(string alertId, AlertActor actor, CancellationToken cancellationToken) => Act("snooze", alertId, actor);

    private Task<AlertActionResult> Act(string action, string alertId, AlertActor actor)
    {
        Actions.Add((action, alertId, actor));
        return Task.FromResult(KnownAlerts.Contains(alertId)
            ? new AlertActionResult(AlertActionOutcome.Done, null, NoticeCard.Build($"{action} {alertId}", $"by {actor.Id}"))
            : new AlertActionResult(AlertActionOutcome.NotFound, null, null));
    }

    public Task<AlertRecord?> GetAsync(string alertId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<AlertRecord>> RecentAsync(int count, CancellationToken cancellationToken) => throw new NotSupportedException();
}
