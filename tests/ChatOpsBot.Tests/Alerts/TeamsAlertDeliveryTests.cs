using System.Net;
using System.Text.Json.Nodes;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Tests.Connector;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Teams;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Commands.Support;
using ChatOpsBot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Tests.Alerts;

/// <summary>
/// The Teams alert sender through the real outbox, Connector client and token provider, against the fake Connector:
/// what it posts, and how each answer of the Connector ends the delivery (sent, retried, failed for good, or unknown
/// and never sent again).
/// </summary>
public sealed class TeamsAlertDeliveryTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string _folder = TestDatabase.NewFolder();
    private readonly ManualTimeProvider _time = new(s_start);
    private readonly CapturingLoggerProvider _logs = new();
    private FakeMimecastServer _mimecast = null!;
    private FakeTeamsConnector _teams = null!;

    public async Task InitializeAsync()
    {
        _mimecast = await FakeMimecastServer.StartAsync();
        _mimecast.ClickLogs =
        [
            Clicks.Record(s_start.AddDays(-1), "https://evil.example/r", "alice@corp.example"),
            Clicks.Record(s_start.AddMinutes(-5), "https://evil.example/r", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        _teams = await FakeTeamsConnector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _teams.DisposeAsync();
        await _mimecast.DisposeAsync();
        TestDatabase.DeleteFolder(_folder);
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task TheAlertIsANewProactivePostFromTheBotCarryingTheCardWithTheBotsToken()
    {
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        DeliveryRunResult run = await host.Delivery.DeliverDueAsync(CancellationToken.None);

        run.Sent.ShouldBe(1);
        RecordedRequest request = _teams.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.RawTarget.ShouldBe("/amer/v3/conversations/19%3Asoc-alerts%40thread.tacv2/activities");
        request.Header("Authorization").ShouldBe("Bearer " + FakeTeamsConnector.AccessToken);
        ConnectorPost post = _teams.Posts.ShouldHaveSingleItem();
        JsonNode activity = post.Activity;
        activity["type"]!.GetValue<string>().ShouldBe("message");
        activity["replyToId"].ShouldBeNull("a proactive alert is a new post, not a reply to the install event");
        activity["from"]!["id"]!.GetValue<string>().ShouldBe(FakeTeamsConnector.BotId);
        activity["conversation"]!["id"]!.GetValue<string>().ShouldBe("19:soc-alerts@thread.tacv2");
        activity["attachments"]![0]!["contentType"]!.GetValue<string>().ShouldBe("application/vnd.microsoft.card.adaptive");
        activity["summary"]!.GetValue<string>().ShouldStartWith("A URL people clicked");
        post.ShownText.ShouldContain("alice@corp[.]example");
        post.ShownText.ShouldContain("hxxps://evil[.]example/r");
        post.ButtonTitles.ShouldBe(["Block sender", "Block URL", "Acknowledge", "Snooze 24 h"]);
        (await host.DeliveriesAsync()).Single().RemoteMessageId.ShouldBe(post.ActivityId);
    }

    [Theory]
    [InlineData(403, "BotNotInConversationRoster", "removed from the conversation")]
    [InlineData(404, "ConversationNotFound", "no longer exists")]
    [InlineData(400, "BadArgument", "HTTP 400 BadArgument")]
    [InlineData(401, "BotNotRegistered", "app id or secret")]
    [InlineData(413, "MessageSizeTooBig", "HTTP 413 MessageSizeTooBig")]
    public async Task ARefusalThatWillNotChangeFailsTheDeliveryAtOnce(int status, string code, string reason)
    {
        _teams.FailNext(status, code);
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        AlertDelivery row = (await host.DeliveriesAsync()).Single();
        row.Status.ShouldBe(DeliveryStatuses.Failed);
        row.LastError.ShouldNotBeNull().ShouldContain(reason);
        _teams.Requests.Count.ShouldBe(1);
        _teams.Posts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task AServerErrorThatMayFollowAStoredPostIsParkedAsUnknownAndNeverResent(int status)
    {
        _teams.FailNext(status, "ServiceError");
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        DeliveryRunResult run = await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        run.Unknown.ShouldBe(1);
        AlertDelivery row = (await host.DeliveriesAsync()).Single();
        row.Status.ShouldBe(DeliveryStatuses.OutcomeUnknown);
        row.LastError.ShouldNotBeNull().ShouldContain($"HTTP {status}");
        _teams.Requests.Count.ShouldBe(1, "neither the Connector client nor the outbox repeats the post");
        (await host.Alerts.GetStatusAsync(CancellationToken.None)).UnknownDeliveries.ShouldBe(1);
    }

    [Fact]
    public async Task APostThatTimesOutAfterTheConnectorTookItIsUnknownAndNotRepeated()
    {
        _teams.AcceptNextPostButNeverAnswer();
        await using AlertsHost host = await StartHostAsync(s => s["Bot:Connector:RequestTimeout"] = "00:00:00.500");
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        AlertDelivery row = (await host.DeliveriesAsync()).Single();
        row.Status.ShouldBe(DeliveryStatuses.OutcomeUnknown);
        row.LastError.ShouldNotBeNull().ShouldContain("may have posted");
        _teams.Posts.Count.ShouldBe(1);
        _teams.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AConversationTheBotHasNoReferenceForFailsWithoutCallingTheConnector()
    {
        await using AlertsHost host = await StartHostAsync(s => s["Alerts:Targets:0"] = "conversation:msteams:19:never-installed@thread.tacv2");
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        AlertDelivery row = (await host.DeliveriesAsync()).Single();
        row.Status.ShouldBe(DeliveryStatuses.Failed);
        row.LastError.ShouldNotBeNull().ShouldContain("no stored reference");
        _teams.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnUnreachableConnectorIsRetriedLaterAndDeliversOnce()
    {
        // The stored reference points at a Connector that refuses connections; the bot is reinstalled (the reference
        // refreshed) before the retry.
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        string closedServiceUrl = $"http://127.0.0.1:{closedPort}/amer/";
        await using AlertsHost host = await StartHostAsync(s => s["Bot:TrustedServiceUrls:1"] = closedServiceUrl);
        var store = host.Services.GetRequiredService<ChatOpsBot.Storage.IConversationStore>();
        await _teams.StoreChannelReferenceAsync(store, "19:soc-alerts@thread.tacv2", s_start, serviceUrl: closedServiceUrl);
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        AlertDelivery waiting = (await host.DeliveriesAsync()).Single();
        waiting.Status.ShouldBe(DeliveryStatuses.Pending);
        waiting.LastError.ShouldNotBeNull().ShouldContain("ConnectionError");

        await _teams.StoreChannelReferenceAsync(store, "19:soc-alerts@thread.tacv2", s_start);
        _time.Advance(TimeSpan.FromMinutes(1));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        (await host.DeliveriesAsync()).Single().Status.ShouldBe(DeliveryStatuses.Sent);
        _teams.Posts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task NeitherTheAppSecretNorTheTokenReachLogsOrStoredErrors()
    {
        // A Connector that echoes the request's Authorization header back in its error text.
        _teams.FailNext(400, "BadArgument " + "Bearer " + FakeTeamsConnector.AccessToken);
        _teams.FailNext(500, "ServiceError");
        _mimecast.ClickLogs.Add(Clicks.Record(s_start.AddDays(-1), "https://evil.example/second", "bob@corp.example"));
        _mimecast.ClickLogs.Add(Clicks.Record(s_start.AddMinutes(-4), "https://evil.example/second", "erin@corp.example", scanResult: "malicious", action: "block"));
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        List<AlertDelivery> rows = await host.DeliveriesAsync();
        rows.Select(r => r.Status).Order().ShouldBe([DeliveryStatuses.Failed, DeliveryStatuses.OutcomeUnknown]);
        _teams.TokenRequests.ShouldBeGreaterThan(0);
        string stored = string.Join('\n', rows.Select(r => r.LastError));
        string logged = string.Join('\n', _logs.Records.Select(r => $"{r.Message} {r.Exception}"));
        foreach (string secret in new[] { FakeTeamsConnector.AppSecret, FakeTeamsConnector.AccessToken })
        {
            logged.ShouldNotContain(secret);
            stored.ShouldNotContain(secret);
        }

        logged.ShouldContain("BadArgument");
    }

    [Fact]
    public async Task AnAlertAcknowledgedByATypedCommandHasItsPostedCardUpdatedWithoutButtons()
    {
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        ConnectorPost posted = _teams.Posts.ShouldHaveSingleItem();

        _time.Advance(TimeSpan.FromMinutes(3));
        string alertId = (await host.AllAlertsAsync()).Single().AlertId;
        await host.Alerts.AcknowledgeAsync(alertId, new AlertActor("aad-object-1", "Sam Analyst"), CancellationToken.None);
        DeliveryRunResult run = await host.Delivery.DeliverDueAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        run.Refreshed.ShouldBe(1);
        ConnectorPost updated = _teams.Updates.ShouldHaveSingleItem();
        updated.ActivityId.ShouldBe(posted.ActivityId);
        updated.ShownText.ShouldContain("Acknowledged by Sam Analyst at 2026-11-02 09:03:00 UTC");
        updated.ButtonTitles.ShouldBeEmpty();
        _teams.Requests.Single(r => r.Method == "PUT").RawTarget.ShouldBe(
            $"/amer/v3/conversations/19%3Asoc-alerts%40thread.tacv2/activities/{posted.ActivityId}");
        _teams.Posts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ASnoozedCardLosesItsSnoozeLineOnceTheSnoozeHasEnded()
    {
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        await host.Alerts.SnoozeAsync((await host.AllAlertsAsync()).Single().AlertId, new AlertActor("aad-object-1", "Sam Analyst"), CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _teams.Updates.ShouldHaveSingleItem().ShownText.ShouldContain("Snoozed by Sam Analyst until 2026-11-03 09:02:00 UTC");

        _time.Advance(TimeSpan.FromHours(23));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _teams.Updates.Count.ShouldBe(1, "still snoozed: nothing to show");

        _time.Advance(TimeSpan.FromHours(1));
        DeliveryRunResult ended = await host.Delivery.DeliverDueAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        ended.Refreshed.ShouldBe(1);
        _teams.Updates.Count.ShouldBe(2, "updated once when the snooze ended, not on every run after");
        ConnectorPost current = _teams.Updates[^1];
        current.ShownText.ShouldNotContain("Snoozed");
        current.ButtonTitles.ShouldBe(["Block sender", "Block URL", "Acknowledge", "Snooze 24 h"]);
        _teams.Posts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ACardThatCanNoLongerBeUpdatedIsLeftAloneAfterOneTry()
    {
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await host.Alerts.SnoozeAsync((await host.AllAlertsAsync()).Single().AlertId, new AlertActor("aad-object-1", "Sam"), CancellationToken.None);
        _teams.FailNext(404, "ActivityNotFoundInConversation");

        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(10));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        _teams.Requests.Count(r => r.Method == "PUT").ShouldBe(1);
        _teams.Updates.ShouldBeEmpty();
        _teams.Posts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AnUpdateTheConnectorKeepsRefusingIsRetriedUntilTheDeliveryDeadlineThenLeftAlone()
    {
        await using AlertsHost host = await StartHostAsync(s => s["Alerts:DeliveryDeadline"] = "01:00:00");
        await host.Monitor.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await host.Alerts.AcknowledgeAsync((await host.AllAlertsAsync()).Single().AlertId, new AlertActor("aad-object-1", "Sam"), CancellationToken.None);
        for (int i = 0; i < 10; i++)
        {
            _teams.FailNext(503);
        }

        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(30));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        int putsWithinTheDeadline = _teams.Requests.Count(r => r.Method == "PUT");
        _time.Advance(TimeSpan.FromMinutes(31));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(30));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);

        putsWithinTheDeadline.ShouldBe(2);
        _teams.Requests.Count(r => r.Method == "PUT").ShouldBe(3, "the last try past the deadline gives up");
        _teams.Updates.ShouldBeEmpty();
        _teams.Posts.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(429, AlertSendStatus.RetryableFailure)]
    [InlineData(503, AlertSendStatus.RetryableFailure)]
    [InlineData(408, AlertSendStatus.RetryableFailure)]
    [InlineData(412, AlertSendStatus.RetryableFailure)]
    [InlineData(400, AlertSendStatus.PermanentFailure)]
    [InlineData(401, AlertSendStatus.PermanentFailure)]
    [InlineData(403, AlertSendStatus.PermanentFailure)]
    [InlineData(404, AlertSendStatus.PermanentFailure)]
    [InlineData(413, AlertSendStatus.PermanentFailure)]
    [InlineData(500, AlertSendStatus.OutcomeUnknown)]
    [InlineData(502, AlertSendStatus.OutcomeUnknown)]
    [InlineData(504, AlertSendStatus.OutcomeUnknown)]
    public void ConnectorAnswersAreClassifiedByWhetherThePostCertainlyDidNotArrive(int status, AlertSendStatus expected)
    {
        var exception = new ConnectorException("failed", (HttpStatusCode)status, "Code", retryAfter: TimeSpan.FromSeconds(42));

        AlertSendResult result = TeamsAlertSender.Classify(exception);

        result.Status.ShouldBe(expected);
        // A Retry-After travels with a retry, for the outbox to schedule by; it means nothing otherwise.
        result.RetryAfter.ShouldBe(expected == AlertSendStatus.RetryableFailure ? TimeSpan.FromSeconds(42) : null);
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, AlertSendStatus.RetryableFailure)]
    [InlineData(HttpRequestError.NameResolutionError, AlertSendStatus.RetryableFailure)]
    [InlineData(HttpRequestError.SecureConnectionError, AlertSendStatus.RetryableFailure)]
    [InlineData(HttpRequestError.ResponseEnded, AlertSendStatus.OutcomeUnknown)]
    [InlineData(HttpRequestError.Unknown, AlertSendStatus.OutcomeUnknown)]
    public void FailuresWithoutAnAnswerRetryOnlyWhenTheRequestNeverLeft(HttpRequestError error, AlertSendStatus expected)
    {
        var exception = new ConnectorException("failed", statusCode: null, errorCode: null, innerException: new HttpRequestException(error, "x"));

        TeamsAlertSender.Classify(exception).Status.ShouldBe(expected);
    }

    [Fact]
    public void ATimeoutIsAnUnknownOutcome() =>
        TeamsAlertSender.Classify(new ConnectorException("timed out", statusCode: null, errorCode: null, innerException: new TaskCanceledException()))
            .Status.ShouldBe(AlertSendStatus.OutcomeUnknown);

    private Task<AlertsHost> StartHostAsync(Action<Dictionary<string, string?>>? adjust = null) =>
        AlertsHost.StartAsync(_folder, _time, _mimecast, channel: null, adjust, services => services.AddLogging(l => l.AddProvider(_logs)), teams: _teams);
}
