using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Conversations;

public sealed class HelpAndIdentityTests : HarnessTest
{
    [Fact]
    public async Task HelpShowsAReaderOnlyWhatAReaderMayDo()
    {
        RecordingResponder replies = await Bot.SayAsync("help", CommandHarness.Reader);

        Reply help = replies.Single;
        help.Kind.ShouldBe(ReplyKind.Private);
        help.Text.ShouldContain("analyze");
        help.Text.ShouldContain("whoami");
        help.Text.ShouldNotContain("audit-log");
        help.Text.ShouldNotContain("vip");
        help.Text.ShouldNotContain("metrics");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task HelpShowsAnAdminEveryCommandWithExamples()
    {
        RecordingResponder replies = await Bot.SayAsync("help", CommandHarness.Admin);

        string json = replies.Single.Text;
        foreach (string command in new[] { "audit-log", "vip remove", "vip add", "metrics", "headers", "audit", "analyze" })
        {
            json.ShouldContain(command);
        }
    }

    [Fact]
    public async Task HelpForOneCommandShowsItsUsage()
    {
        RecordingResponder replies = await Bot.SayAsync("help vip check", CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("vip check <display name> <address>");
    }

    [Fact]
    public async Task AnEmptyMentionIsAnsweredWithHelp()
    {
        RecordingResponder replies = await Bot.SayAsync("<at>ChatOps</at>", CommandHarness.Reader);

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        Bot.LastAudit.Command.ShouldBe("help");
    }

    [Theory]
    [InlineData(CommandHarness.Reader, "reader")]
    [InlineData(CommandHarness.Analyst, "analyst")]
    [InlineData(CommandHarness.Responder, "responder")]
    [InlineData(CommandHarness.Admin, "admin")]
    public async Task WhoAmIShowsTheStableIdAndRole(string actor, string role)
    {
        RecordingResponder replies = await Bot.SayAsync("whoami", actor);

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Private);
        card.Text.ShouldContain(actor);
        card.Text.ShouldContain(role);
    }

    [Fact]
    public async Task AHostileDisplayNameCannotMentionLinkOrHideOnTheCard()
    {
        ChatOpsBot.Commands.ChatRequest request = Requests.Message("whoami", CommandHarness.Reader) with
        {
            Actor = new ChatOpsBot.Commands.ChatActor(CommandHarness.Reader, "<at>Everyone</at> @channel **boss** [login](https://evil.test/x) \u202Etxt.exe"),
        };

        RecordingResponder replies = await Bot.SendAsync(request);

        string shown = replies.Single.RawText;
        shown.ShouldNotContain("<at>");
        shown.ShouldNotContain(" @channel");
        shown.ShouldNotContain("](https://");
        shown.ShouldNotContain("**boss**");
        shown.ShouldNotContain("\u202E");
    }

    [Fact]
    public async Task TheTypingIndicatorComesFirst()
    {
        RecordingResponder replies = await Bot.SayAsync("whoami", CommandHarness.Reader);

        replies.Replies[0].Kind.ShouldBe(ReplyKind.Typing);
    }
}
