using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Conversations;

/// <summary>Every command is refused one role below the role it declares and allowed at it (and above).</summary>
public sealed class RoleBoundaryTests : HarnessTest
{
    private static readonly Dictionary<Role, string> s_actors = new()
    {
        [Role.Reader] = CommandHarness.Reader,
        [Role.Analyst] = CommandHarness.Analyst,
        [Role.Responder] = CommandHarness.Responder,
        [Role.Admin] = CommandHarness.Admin,
    };

    public static TheoryData<string, string, Role> Commands() => new()
    {
        { "help", "help", Role.Reader },
        { "whoami", "whoami", Role.Reader },
        { "analyze", "analyze", Role.Reader },
        { "headers", "headers Received: from a by b; Tue, 9 Jan 2024 10:00:05 +0000\nFrom: a@b.test", Role.Analyst },
        { "audit", "audit", Role.Analyst },
        { "metrics", "metrics 30", Role.Analyst },
        { "vip check", "vip check \"Jane Doe\" jane@evil.test", Role.Analyst },
        { "vip list", "vip list", Role.Analyst },
        { "vip add", "vip add \"Bob Boss\" bob@corp.test", Role.Responder },
        { "vip remove", "vip remove jane.doe@corp.test", Role.Responder },
        { "audit-log", "audit-log 5", Role.Admin },
        { "decode", "decode https://protect-eu.mimecast.com/s/abc", Role.Analyst },
        { "block sender", "block sender invoices@evil.test", Role.Responder },
        { "block url", "block url https://evil.test/a", Role.Responder },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EachCommandIsRefusedBelowItsRoleAndAllowedAtIt(string command, string text, Role required)
    {
        await SeedVipAsync();
        foreach (Role role in Enum.GetValues<Role>())
        {
            RecordingResponder replies = await Bot.SayAsync(text, s_actors[role], FilesFor(command));

            AuditEntry entry = Bot.LastAudit;
            entry.Command.ShouldBe(command);
            if (role < required)
            {
                entry.Outcome.ShouldBe(AuditOutcome.Denied, $"{command} as {role}");
                replies.Single.Kind.ShouldBe(ReplyKind.Private);
                replies.Single.Text.ShouldContain($"needs the {RoleNames.Of(required)} role");
            }
            else
            {
                entry.Outcome.ShouldNotBe(AuditOutcome.Denied, $"{command} as {role}");
                entry.Outcome.ShouldNotBe(AuditOutcome.Failed, $"{command} as {role}");
            }
        }
    }

    [Fact]
    public async Task ARefusedCommandDoesNotRun()
    {
        RecordingResponder replies = await Bot.SayAsync("vip add \"Bob Boss\" bob@corp.test", CommandHarness.Analyst);

        (await Bot.Vips.ListAsync(CancellationToken.None)).ShouldBeEmpty();
        replies.Single.Text.ShouldContain("you have the analyst role");
    }

    [Fact]
    public async Task ARefusedCommandDoesNotDownloadItsFile()
    {
        bool opened = false;
        var file = new ChatOpsBot.Commands.InboundFile("config.json", null, 10, _ =>
        {
            opened = true;
            return Task.FromResult<Stream>(new MemoryStream());
        });

        await Bot.SayAsync("audit", CommandHarness.Reader, file);

        opened.ShouldBeFalse();
        Bot.LastAudit.Arguments.ShouldContain("config.json (declared 10 bytes, not read)");
    }

    [Fact]
    public async Task AReaderTypingAGroupTheyCannotUseIsRefused()
    {
        RecordingResponder replies = await Bot.SayAsync("vip", CommandHarness.Reader);

        replies.Single.Text.ShouldContain("needs the analyst role");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
    }

    private static ChatOpsBot.Commands.InboundFile[] FilesFor(string command) => command switch
    {
        "analyze" => [Requests.Sample("phish.eml")],
        "audit" => [Requests.Sample("mimecast_config.json")],
        "metrics" => [Requests.Sample("ttp_logs.json")],
        _ => [],
    };
}
