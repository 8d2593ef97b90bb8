using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Conversations;

public sealed class GrammarTests : HarnessTest
{
    [Theory]
    [InlineData("/whoami")]
    [InlineData("WHOAMI")]
    [InlineData("<at>ChatOps</at> whoami")]
    [InlineData("@ChatOps whoami")]
    [InlineData("<at>ChatOps</at> /WhoAmI")]
    public async Task SlashMentionAndCaseFormsAllWork(string text)
    {
        await Bot.SayAsync(text, CommandHarness.Reader);

        Bot.LastAudit.Command.ShouldBe("whoami");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task ATypoGetsADidYouMeanWithTheUsage()
    {
        RecordingResponder replies = await Bot.SayAsync("metrcs 7", CommandHarness.Analyst);

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Private);
        card.Text.ShouldContain("metrcs");
        card.Text.ShouldContain("Did you mean metrics?");
        card.Text.ShouldContain("metrics [days]");
        Bot.LastAudit.Command.ShouldBe("(unknown)");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task ASubcommandTypoSuggestsTheSubcommand()
    {
        RecordingResponder replies = await Bot.SayAsync("vip lsit", CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("Did you mean vip list?");
    }

    [Fact]
    public async Task ATypoIsNotCorrectedToACommandTheCallerMayNotRun()
    {
        RecordingResponder replies = await Bot.SayAsync("auditt", CommandHarness.Reader);

        replies.Single.Text.ShouldNotContain("Did you mean");
        replies.Single.Text.ShouldContain("Type help");
    }

    [Fact]
    public async Task AnUnknownWordSaysHowToGetHelp()
    {
        RecordingResponder replies = await Bot.SayAsync("deploy the thing", CommandHarness.Admin);

        replies.Single.Text.ShouldContain("'deploy' is not one of my commands");
    }

    [Fact]
    public async Task ExtraWordsAreAUsageProblemNotSilentlyIgnored()
    {
        RecordingResponder replies = await Bot.SayAsync("vip list everything", CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("vip list takes no arguments");
    }

    [Fact]
    public async Task ATooLongMessageIsRefusedUnread()
    {
        string text = "headers " + new string('x', 70_000);

        RecordingResponder replies = await Bot.SayAsync(text, CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("That message is too long");
        Bot.LastAudit.Arguments.ShouldStartWith($"<{text.Length} chars, sha256 ");
    }
}
