using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Tests.Alerts;

public sealed class ConversationAlertChannelTests
{
    [Fact]
    public async Task SendsGoToTheSenderOfTheTargetsChannelWithTheConversationIdIntact()
    {
        var teams = new RecordingSender("msteams");
        var slack = new RecordingSender("slack");
        var channel = new ConversationAlertChannel([teams, slack]);

        AlertSendResult result = await channel.SendAsync(Message("conversation:slack:C024BE91L"), CancellationToken.None);
        await channel.SendAsync(Message("conversation:msteams:19:abc@thread.tacv2;messageid=1"), CancellationToken.None);

        result.Status.ShouldBe(AlertSendStatus.Sent);
        slack.Sent.ShouldBe(["C024BE91L"]);
        teams.Sent.ShouldBe(["19:abc@thread.tacv2;messageid=1"]);
    }

    [Fact]
    public async Task AChannelWithoutASenderFailsPermanentlyAndCannotBeReconciled()
    {
        var channel = new ConversationAlertChannel([new RecordingSender("msteams")]);

        AlertSendResult result = await channel.SendAsync(Message("conversation:slack:C1"), CancellationToken.None);
        AlertReconcileResult reconcile = await channel.ReconcileAsync(
            new AlertDeliveryCheck("a1", Target("conversation:slack:C1"), "key", null), CancellationToken.None);

        result.Status.ShouldBe(AlertSendStatus.PermanentFailure);
        result.Error.ShouldNotBeNull().ShouldContain("slack");
        reconcile.Status.ShouldBe(AlertReconcileStatus.Unknown);
    }

    [Fact]
    public async Task ReconciliationIsAskedOfTheTargetsSender()
    {
        var slack = new RecordingSender("slack");
        var channel = new ConversationAlertChannel([new RecordingSender("msteams"), slack]);

        AlertReconcileResult result = await channel.ReconcileAsync(
            new AlertDeliveryCheck("a1", Target("conversation:slack:C9"), "key", null), CancellationToken.None);

        result.Status.ShouldBe(AlertReconcileStatus.Delivered);
        slack.Reconciled.ShouldBe(["C9"]);
    }

    [Fact]
    public async Task UpdatesGoToASenderThatCanEditItsPostsAndFailPermanentlyForOneThatCannot()
    {
        var teams = new UpdatingSender("msteams");
        var channel = new ConversationAlertChannel([teams, new RecordingSender("slack")]);

        AlertSendResult edited = await channel.UpdateAsync(Message("conversation:msteams:19:abc@thread.tacv2"), "1777", CancellationToken.None);
        AlertSendResult notEditable = await channel.UpdateAsync(Message("conversation:slack:C1"), "1777.0001", CancellationToken.None);

        edited.Status.ShouldBe(AlertSendStatus.Sent);
        teams.Updated.ShouldBe(["1777"]);
        notEditable.Status.ShouldBe(AlertSendStatus.PermanentFailure);
    }

    private static AlertTarget Target(string value) =>
        AlertTarget.TryParse(value, out AlertTarget? target, out string? problem) ? target : throw new InvalidOperationException(problem);

    private static AlertMessage Message(string target) => new(null!, Target(target), "key", new AdaptiveCard(), 1);

    private sealed class UpdatingSender(string channelId) : IConversationAlertSender, IAlertMessageUpdater
    {
        public string ChannelId => channelId;

        public List<string> Updated { get; } = [];

        public Task<AlertSendResult> SendAsync(AlertMessage message, string conversationId, CancellationToken cancellationToken) =>
            Task.FromResult(AlertSendResult.Sent("m1"));

        public Task<AlertReconcileResult> ReconcileAsync(AlertDeliveryCheck check, string conversationId, CancellationToken cancellationToken) =>
            Task.FromResult(AlertReconcileResult.Unknown);

        public Task<AlertSendResult> UpdateAsync(AlertMessage message, string remoteMessageId, CancellationToken cancellationToken)
        {
            Updated.Add(remoteMessageId);
            return Task.FromResult(AlertSendResult.Sent(remoteMessageId));
        }
    }

    private sealed class RecordingSender(string channelId) : IConversationAlertSender
    {
        public string ChannelId => channelId;

        public List<string> Sent { get; } = [];

        public List<string> Reconciled { get; } = [];

        public Task<AlertSendResult> SendAsync(AlertMessage message, string conversationId, CancellationToken cancellationToken)
        {
            Sent.Add(conversationId);
            return Task.FromResult(AlertSendResult.Sent("m1"));
        }

        public Task<AlertReconcileResult> ReconcileAsync(AlertDeliveryCheck check, string conversationId, CancellationToken cancellationToken)
        {
            Reconciled.Add(conversationId);
            return Task.FromResult(new AlertReconcileResult(AlertReconcileStatus.Delivered, "m1"));
        }
    }
}
