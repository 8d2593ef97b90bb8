using ChatOpsBot.Commands;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Tests.Commands.Conversations;

public sealed class ProgressAndQueueTests : HarnessTest
{
    [Fact]
    public async Task QuickWorkAnswersWithoutAProgressCard()
    {
        RecordingResponder replies = await Bot.SayAsync("vip list", CommandHarness.Analyst);

        replies.Replies.Select(r => r.Kind).ShouldBe([ReplyKind.Typing, ReplyKind.Sent]);
    }

    [Fact]
    public async Task SlowWorkShowsAProgressCardThatBecomesTheResult()
    {
        var replies = new RecordingResponder();
        await SubmitAsync("slow", replies);
        await PassProgressDelayAsync();
        await replies.WaitUntilAsync(r => r.Any(x => x.Kind == ReplyKind.Sent));

        Reply progress = replies.Single;
        progress.Text.ShouldContain("Analyzing your request…");

        Bot.TestCommands.Gate.SetResult();
        await Bot.Audit.WaitForCountAsync(1);

        replies.Cards.Count.ShouldBe(2);
        Reply result = replies.Cards[1];
        result.Kind.ShouldBe(ReplyKind.Updated);
        result.MessageId.ShouldBe(progress.MessageId);
        result.Text.ShouldContain("slow result");
        replies.Replies[0].Kind.ShouldBe(ReplyKind.Typing);
    }

    [Fact]
    public async Task AFailureAfterTheProgressCardTurnsItIntoAnErrorCardWithTheCorrelationId()
    {
        var replies = new RecordingResponder();
        ChatRequest request = await SubmitAsync("slow-boom", replies);
        await PassProgressDelayAsync();
        await replies.WaitUntilAsync(r => r.Any(x => x.Kind == ReplyKind.Sent));

        Bot.TestCommands.Gate.SetResult();
        await Bot.Audit.WaitForCountAsync(1);

        Reply error = replies.Cards[^1];
        error.Kind.ShouldBe(ReplyKind.Updated);
        error.MessageId.ShouldBe(replies.Cards[0].MessageId);
        error.Text.ShouldContain(request.CorrelationId);
        error.Text.ShouldContain("could not finish slow-boom");
        error.Json.ShouldNotContain("secret internal detail");
        error.Json.ShouldNotContain("   at ");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Failed);

        LogRecord logged = Bot.Logs.Records.Single(r => r.Level == LogLevel.Error);
        logged.Exception.ShouldBeOfType<InvalidOperationException>();
        logged.Message.ShouldContain(request.CorrelationId);
    }

    [Fact]
    public async Task AQuickFailureSendsAnErrorCardNeverSilence()
    {
        RecordingResponder replies = await Bot.SayAsync("boom", CommandHarness.Reader);

        Reply error = replies.Single;
        error.Kind.ShouldBe(ReplyKind.Sent);
        error.Text.ShouldContain(Bot.LastAudit.CorrelationId);
        error.Json.ShouldNotContain("secret internal detail");
    }

    [Fact]
    public async Task ABugInThePipelineStillAnswersWithAnErrorCard()
    {
        RecordingResponder replies = await Bot.SayAsync("broken-bind", CommandHarness.Reader);

        Reply error = replies.Single;
        error.Text.ShouldContain("internal error");
        error.Text.ShouldContain(Bot.LastAudit.CorrelationId);
        error.Json.ShouldNotContain("a bug in binding");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Failed);
    }

    [Fact]
    public async Task WhenTheChannelCannotUpdateTheResultComesAsANewMessage()
    {
        var replies = new RecordingResponder { UpdateFailure = new HttpRequestException("403") };
        await SubmitAsync("slow", replies);
        await PassProgressDelayAsync();
        await replies.WaitUntilAsync(r => r.Any(x => x.Kind == ReplyKind.Sent));

        Bot.TestCommands.Gate.SetResult();
        await Bot.Audit.WaitForCountAsync(1);

        replies.Cards.Select(c => c.Kind).ShouldBe([ReplyKind.Sent, ReplyKind.Sent]);
        replies.Cards[1].Text.ShouldContain("slow result");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task TheAuditedDurationIsTheTimeTheWorkTook()
    {
        var replies = new RecordingResponder();
        await SubmitAsync("slow", replies);
        await PassProgressDelayAsync();
        await replies.WaitUntilAsync(r => r.Any(x => x.Kind == ReplyKind.Sent));
        Bot.Time.Advance(TimeSpan.FromSeconds(2));

        Bot.TestCommands.Gate.SetResult();
        await Bot.Audit.WaitForCountAsync(1);

        Bot.LastAudit.Duration.ShouldBe(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ShutdownLetsRunningWorkFinishWhileTheHostAllows()
    {
        var replies = new RecordingResponder();
        await SubmitAsync("slow", replies);

        Task stopping = Bot.StopAsync(CancellationToken.None);
        (await Bot.Gateway.SubmitAsync(Requests.Message("whoami", CommandHarness.Reader), new RecordingResponder(), CancellationToken.None)).ShouldBe(SubmitResult.Busy);
        stopping.IsCompleted.ShouldBeFalse();

        Bot.TestCommands.Gate.SetResult();
        await stopping;

        replies.Cards[^1].Text.ShouldContain("slow result");
        Bot.Audit.Entries.ShouldContain(e => e.Command == "slow" && e.Outcome == AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task ShutdownPastTheHostsPatienceTellsTheUserAndAuditsIt()
    {
        var replies = new RecordingResponder();
        await SubmitAsync("slow", replies);

        await Bot.StopAsync(new CancellationToken(canceled: true));

        replies.Single.Text.ShouldContain("I was restarting and could not finish this");
        AuditEntry entry = Bot.Audit.Entries.Single(e => e.Command == "slow");
        entry.Outcome.ShouldBe(AuditOutcome.Failed);
        entry.Arguments.ShouldContain("cancelled");
    }

    [Fact]
    public async Task WorkPastTheCommandTimeoutIsStoppedWithAnErrorCard()
    {
        var replies = new RecordingResponder();
        ChatRequest request = await SubmitAsync("slow", replies);
        await PassProgressDelayAsync();
        await replies.WaitUntilAsync(r => r.Any(x => x.Kind == ReplyKind.Sent));

        Bot.Time.Advance(TimeSpan.FromMinutes(2));
        await Bot.Audit.WaitForCountAsync(1);

        Reply error = replies.Cards[^1];
        error.Kind.ShouldBe(ReplyKind.Updated);
        error.MessageId.ShouldBe(replies.Cards[0].MessageId);
        error.Text.ShouldContain("slow took too long");
        error.Text.ShouldContain(request.CorrelationId);
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Failed);
        Bot.LastAudit.Arguments.ShouldContain("command timeout");
    }

    private async Task<ChatRequest> SubmitAsync(string text, RecordingResponder replies)
    {
        ChatRequest request = Requests.Message(text, CommandHarness.Reader);
        (await Bot.Gateway.SubmitAsync(request, replies, CancellationToken.None)).ShouldBe(SubmitResult.Accepted);
        await Bot.TestCommands.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return request;
    }

    private async Task PassProgressDelayAsync()
    {
        await Bot.Time.WaitForTimerDueWithinAsync(TimeSpan.FromSeconds(1));
        Bot.Time.Advance(TimeSpan.FromSeconds(1));
    }
}

public sealed class BusyQueueTests : HarnessTest
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Commands:QueueCapacity"] = "1";
        settings["Commands:Workers"] = "1";
    }

    [Fact]
    public async Task AFullQueueAnswersBusyInsteadOfDroppingTheRequest()
    {
        var running = new RecordingResponder();
        (await Bot.Gateway.SubmitAsync(Requests.Message("slow", CommandHarness.Reader), running, CancellationToken.None)).ShouldBe(SubmitResult.Accepted);
        await Bot.TestCommands.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = new RecordingResponder();
        (await Bot.Gateway.SubmitAsync(Requests.Message("whoami", CommandHarness.Reader), queued, CancellationToken.None)).ShouldBe(SubmitResult.Accepted);

        var refused = new RecordingResponder();
        ChatRequest third = Requests.Message("vip list", CommandHarness.Analyst);
        SubmitResult result = await Bot.Gateway.SubmitAsync(third, refused, CancellationToken.None);

        result.ShouldBe(SubmitResult.Busy);
        refused.Single.Kind.ShouldBe(ReplyKind.Private);
        refused.Single.Text.ShouldContain("Please try again in a minute");
        AuditEntry busy = Bot.Audit.Entries.ShouldHaveSingleItem();
        busy.Command.ShouldBe("vip");
        busy.Outcome.ShouldBe(AuditOutcome.Busy);
        busy.CorrelationId.ShouldBe(third.CorrelationId);

        Bot.TestCommands.Gate.SetResult();
        await Bot.Audit.WaitForCountAsync(3);
        queued.Single.Text.ShouldContain(CommandHarness.Reader);
    }
}
