using ChatOpsBot.Alerts;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Conversations;
using ChatOpsBot.Tests.Commands.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Commands.Alerts;

public sealed class MonitorStatusCommandTests : HarnessTest
{
    private readonly FakeAlerts _alerts = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        _alerts.Register(services);
    }

    [Fact]
    public async Task ShowsEachJobsRunsCountsAndErrorAndTheOutbox()
    {
        _alerts.Status = new MonitorStatus(
            [
                new JobStatus(JobNames.UrlMonitor, true, new DateTimeOffset(2026, 1, 20, 11, 40, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 20, 11, 40, 5, TimeSpan.Zero),
                    "failed", "Mimecast answered 429 <b>slow down</b>", new DateTimeOffset(2026, 1, 20, 12, 0, 0, TimeSpan.Zero), 12_345, 3),
                new JobStatus(JobNames.ThreatFeed, false, null, null, null, null, null, 0, 0),
            ],
            OpenAlerts: 4, PendingDeliveries: 2, SendingDeliveries: 0, SentDeliveries: 9, FailedDeliveries: 1, ExpiredDeliveries: 0, UnknownDeliveries: 1, ConfiguredTargets: 2);

        RecordingResponder replies = await Bot.SayAsync("monitor status", CommandHarness.Analyst);

        string text = replies.Single.Text;
        text.ShouldContain("url-monitor");
        text.ShouldContain("2026-01-20 11:40:00 UTC (failed)");
        text.ShouldContain("2026-01-20 12:00:00 UTC");
        text.ShouldContain("12,345");
        text.ShouldContain("Mimecast answered 429");
        replies.Single.RawText.ShouldContain(@"\<b\>slow down\</b\>");
        text.ShouldContain("threat-feed (disabled)");
        text.ShouldContain("never");
        text.ShouldContain("not scheduled in this process");
        text.ShouldContain("Unknown (check by hand)");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task IsRefusedBelowTheAnalystRole()
    {
        RecordingResponder replies = await Bot.SayAsync("monitor status", CommandHarness.Reader);

        replies.Single.Text.ShouldContain("needs the analyst role");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
        _alerts.StatusCalls.ShouldBe(0);
    }

    [Fact]
    public async Task ExtraWordsShowTheUsage()
    {
        RecordingResponder replies = await Bot.SayAsync("monitor status now", CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("monitor status takes no arguments.");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
        _alerts.StatusCalls.ShouldBe(0);
    }
}
