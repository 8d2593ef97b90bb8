using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Commands;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Conversations;
using ChatOpsBot.Tests.Commands.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Commands.Alerts;

public sealed class SubscriptionCommandTests : HarnessTest
{
    private const string Conversation = "19:soc@thread.tacv2";

    private readonly FakeAlerts _alerts = new();

    protected override void ConfigureServices(IServiceCollection services) => _alerts.Register(services);

    [Fact]
    public async Task SubscribeWithoutAKindSubscribesThisConversationToEverything()
    {
        _alerts.KnownConversations.Add(ChatChannels.Teams + "|" + Conversation);

        RecordingResponder replies = await Bot.SendAsync(Requests.Message("subscribe", CommandHarness.Admin, conversation: Conversation));

        replies.Single.Text.ShouldContain("now receives all alerts");
        AlertSubscription subscription = _alerts.Subscriptions.ShouldHaveSingleItem();
        subscription.ShouldBe(new AlertSubscription(ChatChannels.Teams, Conversation, AlertKinds.All, CommandHarness.Admin, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task SubscribeTwiceSaysItAlreadyWas()
    {
        _alerts.KnownConversations.Add(ChatChannels.Teams + "|" + Conversation);
        await Bot.SendAsync(Requests.Message("subscribe Threat-Feed", CommandHarness.Admin, conversation: Conversation));

        RecordingResponder replies = await Bot.SendAsync(Requests.Message("subscribe threat-feed", CommandHarness.Admin, conversation: Conversation));

        replies.Single.Text.ShouldContain("already receives threat-feed alerts");
        _alerts.Subscriptions.ShouldHaveSingleItem().AlertKind.ShouldBe(AlertKinds.ThreatFeed);
    }

    [Fact]
    public async Task SubscribeInAConversationTheBotHasNoReferenceForExplainsWhatToDo()
    {
        RecordingResponder replies = await Bot.SendAsync(Requests.Message("subscribe", CommandHarness.Admin, conversation: Conversation));

        replies.Single.Text.ShouldContain("no stored reference for this conversation");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
        _alerts.Subscriptions.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("subscribe everything", "must be one of clicked-url-malicious|threat-feed|mail-report|all")]
    [InlineData("subscribe all threat-feed", "at most one argument")]
    [InlineData("unsubscribe nonsense", "must be one of clicked-url-malicious|threat-feed|mail-report|all")]
    public async Task BadKindsShowTheUsage(string text, string problem)
    {
        _alerts.KnownConversations.Add(ChatChannels.Teams + "|" + Conversation);

        RecordingResponder replies = await Bot.SendAsync(Requests.Message(text, CommandHarness.Admin, conversation: Conversation));

        replies.Single.Text.ShouldContain(problem);
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
        _alerts.Subscriptions.ShouldBeEmpty();
    }

    [Fact]
    public async Task UnsubscribeRemovesOnlyThisConversationsSubscriptions()
    {
        _alerts.KnownConversations.Add(ChatChannels.Teams + "|" + Conversation);
        _alerts.KnownConversations.Add(ChatChannels.Teams + "|other");
        await Bot.SendAsync(Requests.Message("subscribe threat-feed", CommandHarness.Admin, conversation: Conversation));
        await Bot.SendAsync(Requests.Message("subscribe clicked-url-malicious", CommandHarness.Admin, conversation: Conversation));
        await Bot.SendAsync(Requests.Message("subscribe", CommandHarness.Admin, conversation: "other"));

        RecordingResponder replies = await Bot.SendAsync(Requests.Message("unsubscribe", CommandHarness.Admin, conversation: Conversation));

        replies.Single.Text.ShouldContain("Removed 2 alert subscriptions");
        _alerts.Subscriptions.ShouldHaveSingleItem().ConversationId.ShouldBe("other");
    }

    [Theory]
    [InlineData("subscribe")]
    [InlineData("unsubscribe")]
    public async Task AreRefusedBelowTheAdminRole(string text)
    {
        _alerts.KnownConversations.Add(ChatChannels.Teams + "|" + Conversation);

        RecordingResponder replies = await Bot.SendAsync(Requests.Message(text, CommandHarness.Responder, conversation: Conversation));

        replies.Single.Text.ShouldContain("needs the admin role");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
        _alerts.Subscriptions.ShouldBeEmpty();
    }
}
