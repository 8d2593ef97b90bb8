using System.Security.Cryptography;
using ChatOpsBot.Commands;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Tests.Commands.Conversations;

public sealed class AuditTrailTests : HarnessTest
{
    [Fact]
    public async Task AnEntryRecordsWhoWhereWhatAndHow()
    {
        await SeedVipAsync();
        ChatRequest request = Requests.Message("vip check \"Jane Doe\" jane@evil.test", CommandHarness.Analyst, conversation: "19:channel@thread.tacv2") with
        {
            Channel = ChatChannels.Slack,
        };

        await Bot.SendAsync(request);

        AuditEntry entry = Bot.LastAudit;
        entry.ActorId.ShouldBe(CommandHarness.Analyst);
        entry.ActorName.ShouldBe("Test " + CommandHarness.Analyst);
        entry.Channel.ShouldBe("slack");
        entry.ConversationId.ShouldBe("19:channel@thread.tacv2");
        entry.Command.ShouldBe("vip check");
        entry.Arguments.ShouldBe("address=jane@evil.test, name=Jane Doe");
        entry.Outcome.ShouldBe(AuditOutcome.Succeeded);
        entry.CorrelationId.ShouldBe(request.CorrelationId);
        entry.Timestamp.ShouldBe(CommandHarness.Start);
        entry.Duration.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task FilesAreAuditedAsNameSizeAndHashNeverContent()
    {
        byte[] eml = Samples.Bytes("phish.eml");

        await Bot.SayAsync("analyze", CommandHarness.Reader, Requests.File("phish.eml", eml));

        string hash = Convert.ToHexStringLower(SHA256.HashData(eml));
        Bot.LastAudit.Arguments.ShouldContain($"files: phish.eml ({eml.Length} bytes, sha256 {hash})");
        Bot.LastAudit.Arguments.ShouldNotContain("password expires");
    }

    [Theory]
    [InlineData("deploy password=hunter2 now", "hunter2")]
    [InlineData("deploy --token xoxb-1234567890-abcdefghij", "xoxb-1234567890-abcdefghij")]
    [InlineData("vip check Jane api_key=sk-abcdefghijklmnopqrstuvwxyz", "sk-abcdefghijklmnopqrstuvwxyz")]
    public async Task SecretsInTypedArgumentsAreRedacted(string text, string secret)
    {
        await Bot.SayAsync(text, CommandHarness.Admin);

        Bot.LastAudit.Arguments.ShouldNotContain(secret);
        Bot.LastAudit.Arguments.ShouldContain("[REDACTED]");
    }

    [Fact]
    public async Task SecretsInButtonDataAreRedacted()
    {
        await Bot.PressAsync("deploy", CommandHarness.Admin, new Dictionary<string, string> { ["password"] = "hunter2", ["target"] = "prod" });

        Bot.LastAudit.Arguments.ShouldContain("password=[REDACTED]");
        Bot.LastAudit.Arguments.ShouldContain("target=prod");
    }

    [Fact]
    public async Task HostileDisplayNamesAreKeptOnOneLine()
    {
        ChatRequest request = Requests.Message("whoami", CommandHarness.Reader) with
        {
            Actor = new ChatActor(CommandHarness.Reader, "Eve\n2026-01-01 admin-object-id vip remove ...\u202E"),
        };

        await Bot.SendAsync(request);

        Bot.LastAudit.ActorName.ShouldNotBeNull().ShouldNotContain("\n");
        Bot.LastAudit.ActorName.ShouldNotContain("\u202E");
    }

    [Fact]
    public async Task AnAuditStoreFailureNeverCostsTheAnswer()
    {
        Bot.Audit.Fail = true;

        RecordingResponder replies = await Bot.SayAsync("whoami", CommandHarness.Reader);

        replies.Single.Text.ShouldContain(CommandHarness.Reader);
        LogRecord logged = await Bot.Logs.WaitForAsync(r => r.Level == LogLevel.Error);
        logged.Message.ShouldContain("Could not append to the audit log: whoami");
    }

    [Fact]
    public async Task ARefusalStaysDeniedInTheTrailWhenItsReplyCannotBeDelivered()
    {
        var replies = new RecordingResponder { PrivateFailure = new HttpRequestException("channel down") };

        await Bot.SendAsync(Requests.Message("audit-log", CommandHarness.Reader), replies);

        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
        Bot.LastAudit.Arguments.ShouldContain("not completed: HttpRequestException");
        (await Bot.Logs.WaitForAsync(r => r.Level == LogLevel.Error)).Message.ShouldContain("Could not complete audit-log");
    }

    [Fact]
    public async Task AuditLogShowsAdminsTheNewestEntries()
    {
        await Bot.SayAsync("whoami", CommandHarness.Reader);
        await Bot.SayAsync("vip list", CommandHarness.Analyst);

        RecordingResponder replies = await Bot.SayAsync("audit-log 2", CommandHarness.Admin);

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Private);
        card.Text.ShouldContain("vip list");
        card.Text.ShouldContain("whoami");
        card.Text.ShouldContain(CommandHarness.Analyst);
    }

    [Fact]
    public async Task AuditLogCapsHowManyEntriesItShows()
    {
        for (int i = 0; i < 55; i++)
        {
            await Bot.SayAsync("whoami", CommandHarness.Reader);
        }

        RecordingResponder replies = await Bot.SayAsync("audit-log 500", CommandHarness.Admin);

        replies.Single.Text.ShouldContain("20 of 20 requested entries");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }
}
