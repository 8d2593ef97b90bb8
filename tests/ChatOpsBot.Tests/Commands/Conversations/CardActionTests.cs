using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Conversations;

/// <summary>Buttons are commands: the verb names the command, and the same roles apply.</summary>
public sealed class CardActionTests : HarnessTest
{
    [Fact]
    public async Task AnAllowedButtonRunsItsCommandAndLeavesTheSourceCard()
    {
        await SeedVipAsync();

        RecordingResponder replies = await Bot.PressAsync(
            "vip check", CommandHarness.Analyst, new Dictionary<string, string> { ["name"] = "Jane Doe", ["address"] = "jane@evil.test" }, cardMessageId: "card-7");

        Reply result = replies.Single;
        result.Kind.ShouldBe(ReplyKind.Sent);
        result.Text.ShouldContain("Display name matches VIP: Jane Doe");
        Bot.LastAudit.Command.ShouldBe("vip check");
        Bot.LastAudit.Arguments.ShouldContain("address=jane@evil.test");
    }

    [Fact]
    public async Task ARefusedButtonAnswersPrivatelyAndLeavesTheCardUnchanged()
    {
        await SeedVipAsync();

        RecordingResponder replies = await Bot.PressAsync(
            "vip remove", CommandHarness.Analyst, new Dictionary<string, string> { ["address"] = "jane.doe@corp.test" }, cardMessageId: "card-7");

        Reply refusal = replies.Single;
        refusal.Kind.ShouldBe(ReplyKind.Private);
        refusal.Text.ShouldContain("needs the responder role");
        replies.Replies.ShouldNotContain(r => r.Kind == ReplyKind.Updated || r.Kind == ReplyKind.Sent);
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
        (await Bot.Vips.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task AReaderPressingAnAnalystButtonIsRefused()
    {
        RecordingResponder replies = await Bot.PressAsync("vip list", CommandHarness.Reader, cardMessageId: "card-1");

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
    }

    [Fact]
    public async Task AButtonOfAResponseActionAsksForConfirmationLikeTypingIt()
    {
        await SeedVipAsync();

        RecordingResponder replies = await Bot.PressAsync(
            "vip remove", CommandHarness.Responder, new Dictionary<string, string> { ["address"] = "jane.doe@corp.test" }, cardMessageId: "vip-list-card");

        replies.Single.Kind.ShouldBe(ReplyKind.Sent);
        replies.Single.Text.ShouldContain("Remove jane.doe@corp.test from the VIP list?");
        (await Bot.Vips.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task AButtonWithBadArgumentsShowsUsage()
    {
        RecordingResponder replies = await Bot.PressAsync("metrics", CommandHarness.Analyst, new Dictionary<string, string> { ["days"] = "-3" });

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        replies.Single.Text.ShouldContain("days must be a whole number from 1 to 366");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task AnUnknownVerbSaysTheButtonNoLongerWorks()
    {
        RecordingResponder replies = await Bot.PressAsync("launch-missiles", CommandHarness.Admin);

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        replies.Single.Text.ShouldContain("That button no longer works");
        Bot.LastAudit.Command.ShouldBe("launch-missiles");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task OversizedButtonDataIsRefused()
    {
        var args = Enumerable.Range(0, 40).ToDictionary(i => $"k{i}", i => "v");

        RecordingResponder replies = await Bot.PressAsync("help", CommandHarness.Admin, args);

        replies.Single.Text.ShouldContain("That button sent too much");
    }

    [Fact]
    public async Task VerbsAreCaseInsensitive()
    {
        RecordingResponder replies = await Bot.PressAsync("WhoAmI", CommandHarness.Reader);

        replies.Single.Text.ShouldContain(CommandHarness.Reader);
    }
}
