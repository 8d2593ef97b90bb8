using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Cards;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Conversations;
using ChatOpsBot.Tests.Commands.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Commands.Alerts;

public sealed class AlertActionCommandTests : HarnessTest
{
    private const string AlertId = "alt-0123456789abcdef01234567";
    private const string AlertCardMessage = "alert-card-message-1";

    private readonly FakeAlerts _alerts = new();

    protected override void ConfigureServices(IServiceCollection services) => _alerts.Register(services);

    [Theory]
    [InlineData(AlertCard.AcknowledgeVerb, "ack")]
    [InlineData(AlertCard.SnoozeVerb, "snooze")]
    public async Task TheButtonUpdatesThePressedCardInPlace(string verb, string action)
    {
        _alerts.KnownAlerts.Add(AlertId);

        RecordingResponder replies = await Bot.PressAsync(verb, CommandHarness.Responder, Args(AlertId), AlertCardMessage);

        Reply reply = replies.Single;
        reply.Kind.ShouldBe(ReplyKind.Updated);
        reply.MessageId.ShouldBe(AlertCardMessage);
        reply.Text.ShouldContain($"{action} {AlertId}");
        _alerts.Actions.ShouldHaveSingleItem().ShouldBe((action, AlertId, new AlertActor(CommandHarness.Responder, "Test " + CommandHarness.Responder)));
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task AnUnknownAlertIsAnsweredPrivatelyAndTheCardStays()
    {
        RecordingResponder replies = await Bot.PressAsync(AlertCard.AcknowledgeVerb, CommandHarness.Responder, Args(AlertId), AlertCardMessage);

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        replies.Single.Text.ShouldContain("no longer exists");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Theory]
    [InlineData("alt-XYZ")]
    [InlineData("alt-0123456789abcdef01234567' OR 1=1")]
    [InlineData("")]
    public async Task AMalformedAlertIdNeverReachesTheService(string alertId)
    {
        RecordingResponder replies = await Bot.PressAsync(AlertCard.AcknowledgeVerb, CommandHarness.Responder, Args(alertId), AlertCardMessage);

        replies.Single.Kind.ShouldNotBe(ReplyKind.Updated);
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
        _alerts.Actions.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(AlertCard.AcknowledgeVerb)]
    [InlineData(AlertCard.SnoozeVerb)]
    public async Task AnAnalystCannotPressTheButtons(string verb)
    {
        _alerts.KnownAlerts.Add(AlertId);

        RecordingResponder replies = await Bot.PressAsync(verb, CommandHarness.Analyst, Args(AlertId), AlertCardMessage);

        replies.Single.Kind.ShouldNotBe(ReplyKind.Updated);
        replies.Single.Text.ShouldContain("needs the responder role");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
        _alerts.Actions.ShouldBeEmpty();
    }

    [Fact]
    public async Task TypedAcknowledgePostsTheUpdatedCard()
    {
        _alerts.KnownAlerts.Add(AlertId);

        RecordingResponder replies = await Bot.SayAsync($"alert ack {AlertId}", CommandHarness.Responder);

        replies.Single.Kind.ShouldBe(ReplyKind.Sent);
        _alerts.Actions.ShouldHaveSingleItem().Action.ShouldBe("ack");
    }

    private static Dictionary<string, string> Args(string alertId) => new() { [AlertCard.AlertIdKey] = alertId };
}
