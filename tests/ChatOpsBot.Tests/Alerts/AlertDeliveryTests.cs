using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Storage;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Storage;

namespace ChatOpsBot.Tests.Alerts;

public abstract class AlertDeliveryTests : ProviderAlertTests
{
    private readonly FakeAlertChannel _channel = new();

    protected override Task StartFakesAsync()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddDays(-1), "https://evil.example/r", "alice@corp.example"),
            Clicks.Record(Start.AddMinutes(-5), "https://evil.example/r", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        return Task.CompletedTask;
    }

    [ProviderFact]
    public async Task TheTeamsConnectorFailingFiveTimesThenSucceedingDeliversExactlyOnce()
    {
        await using FakeTeamsConnector teams = await FakeTeamsConnector.StartAsync();
        teams.FailNext(429, "Throttled", retryAfterSeconds: "90");
        teams.FailNext(503);
        teams.FailNext(429, "Throttled", retryAfterSeconds: "5");
        teams.FailNext(503, "ServiceUnavailable");
        teams.FailNext(503);
        await using AlertsHost host = await StartTeamsHostAsync(teams);
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        var delays = new List<TimeSpan>();
        for (int run = 0; run < 6; run++)
        {
            await host.Delivery.DeliverDueAsync(CancellationToken.None);
            AlertDelivery row = (await host.DeliveriesAsync()).Single();
            if (row.Status == DeliveryStatuses.Sent)
            {
                break;
            }

            // Nothing is due before the backoff has passed: no request reaches the Connector in between.
            int requests = teams.Requests.Count;
            await host.Delivery.DeliverDueAsync(CancellationToken.None);
            teams.Requests.Count.ShouldBe(requests);
            delays.Add(row.NextAttemptAt - Time.GetUtcNow());
            Time.Advance(row.NextAttemptAt - Time.GetUtcNow());
        }

        AlertDelivery delivered = (await host.DeliveriesAsync()).ShouldHaveSingleItem();
        delivered.Status.ShouldBe(DeliveryStatuses.Sent);
        delivered.Attempts.ShouldBe(6);
        ConnectorPost post = teams.Posts.ShouldHaveSingleItem();
        delivered.RemoteMessageId.ShouldBe(post.ActivityId);
        post.ConversationId.ShouldBe("19:soc-alerts@thread.tacv2");
        post.ShownText.ShouldContain("alice@corp[.]example");
        teams.Requests.Count.ShouldBe(6);
        // The first 429 asked for 90 s, more than the 30 s backoff; the second asked for 5 s, less than its 120 s.
        delays.ShouldBe([TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(480)]);

        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        Time.Advance(TimeSpan.FromHours(1));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        teams.Posts.Count.ShouldBe(1);
        teams.Requests.Count.ShouldBe(6);
    }

    [ProviderFact]
    public async Task AProcessKilledBetweenSendAndRecordDoesNotPostTwice()
    {
        await using FakeTeamsConnector teams = await FakeTeamsConnector.StartAsync();
        teams.AcceptNextPostButNeverAnswer();
        AlertsHost first = await StartTeamsHostAsync(teams);
        await first.Monitor.RunOnceAsync(CancellationToken.None);
        using var dying = new CancellationTokenSource();
        Task inFlight = first.Delivery.DeliverDueAsync(dying.Token);
        await teams.HeldPostAccepted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        (await first.DeliveriesAsync()).Single().Status.ShouldBe(DeliveryStatuses.Sending);

        // The process goes down while the Connector has stored the post but the bot has not heard back.
        await dying.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(inFlight);
        (await first.DeliveriesAsync()).Single().Status.ShouldBe(DeliveryStatuses.Sending, "nothing was recorded after the send");
        await first.DisposeAsync();

        // "Restart": a new process on the same database.
        await using AlertsHost second = await StartTeamsHostAsync(teams);
        await second.Delivery.DeliverDueAsync(CancellationToken.None);
        teams.Requests.Count.ShouldBe(1, "inside the lease the row belongs to the dead process and is left alone");

        Time.Advance(TimeSpan.FromMinutes(6));
        DeliveryRunResult run = await second.Delivery.DeliverDueAsync(CancellationToken.None);
        Time.Advance(TimeSpan.FromHours(2));
        await second.Delivery.DeliverDueAsync(CancellationToken.None);

        run.Reconciled.ShouldBe(1);
        teams.Posts.Count.ShouldBe(1);
        teams.Requests.Count.ShouldBe(1);
        AlertDelivery row = (await second.DeliveriesAsync()).ShouldHaveSingleItem();
        row.Status.ShouldBe(DeliveryStatuses.OutcomeUnknown, "Teams cannot be asked whether the post arrived");
        row.LastError.ShouldNotBeNull().ShouldContain("not sent again");
        (await second.Alerts.GetStatusAsync(CancellationToken.None)).UnknownDeliveries.ShouldBe(1);
    }

    [ProviderFact]
    public async Task AnInterruptedSendAChannelCanLookUpIsRecordedAsSentWithoutASecondPost()
    {
        _channel.StallAfterNextPost();
        AlertsHost first = await StartHostAsync();
        await first.Monitor.RunOnceAsync(CancellationToken.None);
        Task abandoned = first.Delivery.DeliverDueAsync(CancellationToken.None);
        await _channel.PostArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await first.DisposeAsync();

        await using AlertsHost second = await StartHostAsync();
        Time.Advance(TimeSpan.FromMinutes(6));
        DeliveryRunResult run = await second.Delivery.DeliverDueAsync(CancellationToken.None);

        run.Reconciled.ShouldBe(1);
        _channel.SendCalls.ShouldBe(1);
        AlertDelivery row = (await second.DeliveriesAsync()).ShouldHaveSingleItem();
        row.Status.ShouldBe(DeliveryStatuses.Sent);
        row.RemoteMessageId.ShouldBe("activity-reconciled");
        abandoned.IsCompleted.ShouldBeFalse();
    }

    [ProviderFact]
    public async Task AnInterruptedSendThatNeverArrivedIsSentAgainAfterReconciliation()
    {
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);
        AlertDelivery pending = (await host.DeliveriesAsync()).Single();
        // A claim recorded by a process that died before calling the channel at all.
        (await host.QueryAsync(c => AlertStore.ClaimAsync(c, pending, "dead-process", Start, Start.AddMinutes(5), CancellationToken.None))).ShouldBeTrue();

        Time.Advance(TimeSpan.FromMinutes(6));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        _channel.Posts.Count.ShouldBe(1);
        (await host.DeliveriesAsync()).Single().Status.ShouldBe(DeliveryStatuses.Sent);
    }

    [ProviderFact]
    public async Task APermanentFailureStopsRetrying()
    {
        _channel.FailNext(1, AlertSendResult.Permanent("the conversation no longer exists"));
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        Time.Advance(TimeSpan.FromHours(1));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        AlertDelivery row = (await host.DeliveriesAsync()).Single();
        row.Status.ShouldBe(DeliveryStatuses.Failed);
        row.LastError.ShouldBe("the conversation no longer exists");
        _channel.SendCalls.ShouldBe(1);
    }

    [ProviderFact]
    public async Task RetriesStopAtTheDeliveryDeadline()
    {
        _channel.FailNext(1000, AlertSendResult.Retry("connector answered 503"));
        await using AlertsHost host = await StartHostAsync(s => s["Alerts:DeliveryDeadline"] = "01:00:00");
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        for (int i = 0; i < 30; i++)
        {
            await host.Delivery.DeliverDueAsync(CancellationToken.None);
            Time.Advance(TimeSpan.FromMinutes(5));
        }

        AlertDelivery row = (await host.DeliveriesAsync()).Single();
        row.Status.ShouldBe(DeliveryStatuses.Expired);
        _channel.Posts.ShouldBeEmpty();
        _channel.SendCalls.ShouldBeLessThan(12);
    }

    [ProviderFact]
    public async Task AMailTargetWithoutSmtpSettingsFailsWithAReason()
    {
        await using AlertsHost host = await StartHostAsync(s => s["Alerts:Targets:0"] = "mail:soc@corp.example");
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        AlertDelivery row = (await host.DeliveriesAsync()).Single();
        row.Status.ShouldBe(DeliveryStatuses.Failed);
        row.LastError.ShouldNotBeNull().ShouldContain("SMTP is not configured");
    }

    private Task<AlertsHost> StartHostAsync(Action<Dictionary<string, string?>>? adjust = null) =>
        StartAlertsHostAsync(adjust, _channel);

    private Task<AlertsHost> StartTeamsHostAsync(FakeTeamsConnector teams) =>
        StartAlertsHostAsync(teams: teams);
}

public sealed class SqliteAlertDeliveryTests : AlertDeliveryTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresAlertDeliveryTests : AlertDeliveryTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
