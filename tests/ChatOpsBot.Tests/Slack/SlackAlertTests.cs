using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Alerts.ThreatFeed;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Slack.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Slack;

/// <summary>
/// Alerts in Slack end to end: the URL monitor raises an alert from the fake Mimecast click log, the outbox posts it to
/// a Slack channel on the fake Slack Web API, and buttons and the <c>subscribe</c> command come back through the real
/// signed endpoints. The host's clock is manual (started at the real time, since signed requests carry it), so the
/// outbox's backoff is stepped over, not waited for.
/// </summary>
public sealed class SlackAlertTests : IAsyncLifetime
{
    private const string AlertChannel = "C0SOCALERTS";
    private const string HostileSubject = "<!channel> Reset your password & *now* <@U0CEO>";

    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private FakeMimecastServer _mimecast = null!;
    private SlackHost _host = null!;

    private FakeSlackApi Slack => _host.Slack;

    public async Task InitializeAsync()
    {
        _mimecast = await FakeMimecastServer.StartAsync();
        DateTimeOffset now = _clock.GetUtcNow();
        _mimecast.ClickLogs =
        [
            Clicks.Record(now.AddDays(-1), "https://evil.example/r", "alice@corp.example", subject: HostileSubject, sender: "helpdesk@evil.example"),
            Clicks.Record(now.AddMinutes(-5), "https://evil.example/r", "erin@corp.example", scanResult: "malicious", action: "block", subject: HostileSubject, sender: "helpdesk@evil.example"),
        ];
        _host = await StartHostAsync(("Alerts:Targets:0", "conversation:slack:" + AlertChannel));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _mimecast.DisposeAsync();
    }

    [Fact]
    public async Task AnAlertIsPostedToItsSlackChannelOnceInBlockKitWithHostileTextDefused()
    {
        await RaiseAlertAsync();

        DeliveryRunResult run = await DeliverAsync();
        await DeliverAsync();
        _clock.Advance(TimeSpan.FromHours(1));
        await DeliverAsync();

        run.Sent.ShouldBe(1);
        FakePostedMessage posted = Slack.Posted.ShouldHaveSingleItem();
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
        posted.Channel.ShouldBe(AlertChannel);
        JsonObject body = posted.Body;
        body["blocks"]![0]!["type"]!.GetValue<string>().ShouldBe("header");
        Buttons(body).Select(b => b["text"]!["text"]!.GetValue<string>()).ShouldContain("Acknowledge");
        List<string> texts = Strings(body);
        texts.ShouldNotContain(t => t.Contains("<!channel>", StringComparison.Ordinal) || t.Contains("<@U0CEO>", StringComparison.Ordinal));
        texts.ShouldContain(t => t.Contains("&lt;!channel&gt;", StringComparison.Ordinal));
        texts.ShouldNotContain(t => t.Contains("https://evil.example", StringComparison.Ordinal) || t.Contains("helpdesk@evil.example", StringComparison.Ordinal));
        texts.ShouldContain(t => t.Contains("evil[.]example", StringComparison.Ordinal));
        body["link_names"]!.GetValue<bool>().ShouldBeFalse();
        body["unfurl_links"]!.GetValue<bool>().ShouldBeFalse();

        AlertDelivery delivery = (await DeliveriesAsync()).ShouldHaveSingleItem();
        delivery.Status.ShouldBe(DeliveryStatuses.Sent);
        delivery.RemoteMessageId.ShouldBe(posted.Ts);
        JsonNode metadata = body["metadata"]!;
        metadata["event_type"]!.GetValue<string>().ShouldBe("chatopsbot_alert");
        metadata["event_payload"]!["alert_id"]!.GetValue<string>().ShouldBe(delivery.AlertId);
        metadata["event_payload"]!["idempotency_key"]!.GetValue<string>().ShouldStartWith("chatopsbot." + delivery.AlertId + ".");
    }

    [Fact]
    public async Task RateLimitedThenAcceptedIsDeliveredOnceOnTheOutboxSchedule()
    {
        Slack.RateLimitNext("chat.postMessage", 1);
        await RaiseAlertAsync();

        DeliveryRunResult first = await DeliverAsync();
        AlertDelivery waiting = (await DeliveriesAsync()).Single();
        _clock.Advance(waiting.NextAttemptAt - _clock.GetUtcNow());
        DeliveryRunResult second = await DeliverAsync();

        first.Retrying.ShouldBe(1);
        waiting.Status.ShouldBe(DeliveryStatuses.Pending);
        waiting.LastError.ShouldNotBeNull().ShouldContain("ratelimited");
        second.Sent.ShouldBe(1);
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(2);
        Slack.Posted.Count.ShouldBe(1);
        AlertDelivery delivered = (await DeliveriesAsync()).Single();
        delivered.Status.ShouldBe(DeliveryStatuses.Sent);
        delivered.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task AnUnknownChannelFailsPermanentlyAndIsNeverTriedAgain()
    {
        Slack.FailNext("chat.postMessage", "channel_not_found");
        await RaiseAlertAsync();

        DeliveryRunResult run = await DeliverAsync();
        _clock.Advance(TimeSpan.FromHours(2));
        await DeliverAsync();

        run.Failed.ShouldBe(1);
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
        AlertDelivery failed = (await DeliveriesAsync()).Single();
        failed.Status.ShouldBe(DeliveryStatuses.Failed);
        failed.LastError.ShouldNotBeNull().ShouldContain("channel_not_found");
    }

    [Fact]
    public async Task ATimeoutAfterSlackPostedIsUnknownAndNotPostedAgain()
    {
        await _host.DisposeAsync();
        _host = await StartHostAsync(("Alerts:Targets:0", "conversation:slack:" + AlertChannel), ("Slack:RequestTimeout", "00:00:01"));
        Slack.StoreThenStallNextPost();
        await RaiseAlertAsync();

        DeliveryRunResult run = await DeliverAsync();
        _clock.Advance(TimeSpan.FromHours(2));
        await DeliverAsync();

        run.Unknown.ShouldBe(1);
        Slack.Posted.Count.ShouldBe(1, "Slack has the message; only its answer was lost");
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
        AlertDelivery unknown = (await DeliveriesAsync()).Single();
        unknown.Status.ShouldBe(DeliveryStatuses.OutcomeUnknown);
        unknown.LastError.ShouldNotBeNull().ShouldContain("timeout");
        (await _host.Services.GetRequiredService<IAlertService>().GetStatusAsync(default)).UnknownDeliveries.ShouldBe(1);
    }

    [Fact]
    public async Task PressingAcknowledgeOnThePostedAlertUpdatesItInPlaceWithoutButtons()
    {
        await RaiseAlertAsync();
        await DeliverAsync();
        FakePostedMessage alert = Slack.Posted.ShouldHaveSingleItem();
        JsonObject acknowledge = Buttons(alert.Body).Single(b => b["text"]!["text"]!.GetValue<string>() == "Acknowledge");

        HttpResponseMessage pressed = await _host.PostInteractionAsync(
            SlackEndpointTests.BlockActions(SlackHost.Responder, alert.Channel, alert.Ts, acknowledge, Slack.NewResponseUrl()));

        pressed.StatusCode.ShouldBe(HttpStatusCode.OK);
        FakeSlackCall update = (await _host.WaitForCallsAsync(c => c.Any(x => x.Method == "chat.update"))).Single(c => c.Method == "chat.update");
        JsonObject updated = update.Json!;
        updated["channel"]!.GetValue<string>().ShouldBe(AlertChannel);
        updated["ts"]!.GetValue<string>().ShouldBe(alert.Ts);
        Strings(updated).ShouldContain(t => t.Contains("Acknowledged by", StringComparison.Ordinal));
        Buttons(updated).ShouldBeEmpty();
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(1, "the answer replaced the alert; nothing new was posted");
        string alertId = (await DeliveriesAsync()).Single().AlertId;
        AlertRecord? stored = await _host.Services.GetRequiredService<IAlertService>().GetAsync(alertId, default);
        stored.ShouldNotBeNull().Status.ShouldBe(AlertStatuses.Acknowledged);
        stored.AcknowledgedBy!.Id.ShouldBe(SlackHost.Responder);
    }

    [Fact]
    public async Task ABurstThatGrowsAfterItsSlackMessageWasPostedUpdatesThatMessageInPlaceAndPostsNothingNew()
    {
        DateTimeOffset first = Seconds(_clock.GetUtcNow().AddMinutes(-10));
        _mimecast.ClickLogs = [];
        _mimecast.ImpersonationLogs = [];
        _mimecast.AttachmentLogs = [Attachment(first, "b@corp.example")];
        ThreatFeedPoller poller = _host.Services.GetRequiredService<ThreatFeedPoller>();
        await poller.RunOnceAsync(default);
        await DeliverAsync();
        FakePostedMessage posted = Slack.Posted.ShouldHaveSingleItem();
        Strings(posted.Body).ShouldNotContain(t => t.Contains("3 (", StringComparison.Ordinal));

        // Two more from the same sender within the burst window fold into the alert that is already in the channel.
        _clock.Advance(TimeSpan.FromMinutes(5));
        DateTimeOffset last = Seconds(_clock.GetUtcNow().AddMinutes(-1));
        _mimecast.AttachmentLogs.Add(Attachment(last.AddMinutes(-1), "c@corp.example"));
        _mimecast.AttachmentLogs.Add(Attachment(last, "d@corp.example"));
        await poller.RunOnceAsync(default);
        _clock.Advance(TimeSpan.FromSeconds(1));
        DeliveryRunResult refreshed = await DeliverAsync();
        DeliveryRunResult settled = await DeliverAsync();

        refreshed.Refreshed.ShouldBe(1);
        settled.Refreshed.ShouldBe(0);
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(1, "the grown burst replaced the posted message; nothing new was posted");
        JsonObject update = Slack.CallsTo("chat.update").ShouldHaveSingleItem().Json!;
        update["channel"]!.GetValue<string>().ShouldBe(AlertChannel);
        update["ts"]!.GetValue<string>().ShouldBe(posted.Ts);
        Strings(update).ShouldContain(t => t.Contains($"3 ({Utc(first)} to {Utc(last)})", StringComparison.Ordinal));
        Buttons(update).Select(b => b["text"]!["text"]!.GetValue<string>()).ShouldContain("Acknowledge");
        update["link_names"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task AnAcknowledgeTypedInAnotherConversationUpdatesThePostedSlackMessage()
    {
        await RaiseAlertAsync();
        await DeliverAsync();
        FakePostedMessage alert = Slack.Posted.ShouldHaveSingleItem();
        string alertId = (await DeliveriesAsync()).Single().AlertId;
        _clock.Advance(TimeSpan.FromMinutes(1));

        await _host.PostCommandAsync("alert ack " + alertId, SlackHost.Responder, "D0RESPONDER", Slack.NewResponseUrl("acked"));
        await _host.WaitForCallsAsync(c => c.Any(x => x.Path.EndsWith("/acked", StringComparison.Ordinal)));
        DeliveryRunResult run = await DeliverAsync();
        await DeliverAsync();

        run.Refreshed.ShouldBe(1);
        JsonObject update = Slack.CallsTo("chat.update").ShouldHaveSingleItem().Json!;
        update["channel"]!.GetValue<string>().ShouldBe(AlertChannel);
        update["ts"]!.GetValue<string>().ShouldBe(alert.Ts);
        Strings(update).ShouldContain(t => t.Contains("Acknowledged by", StringComparison.Ordinal));
        Buttons(update).ShouldBeEmpty();
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
        (await _host.Services.GetRequiredService<IAlertService>().GetAsync(alertId, default)).ShouldNotBeNull().Status.ShouldBe(AlertStatuses.Acknowledged);
    }

    [Fact]
    public async Task AMessageSlackNoLongerHasIsGivenUpAfterOneUpdate()
    {
        await RaiseAlertAsync();
        await DeliverAsync();
        string alertId = (await DeliveriesAsync()).Single().AlertId;
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _host.Services.GetRequiredService<IAlertService>().SnoozeAsync(alertId, new AlertActor(SlackHost.Responder, "Sam"), default);
        Slack.FailNext("chat.update", "message_not_found");

        DeliveryRunResult run = await DeliverAsync();
        _clock.Advance(TimeSpan.FromMinutes(10));
        await DeliverAsync();

        run.Refreshed.ShouldBe(0);
        Slack.CallsTo("chat.update").Count.ShouldBe(1, "a deleted message is not asked for again");
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(1, "a refresh never posts a new message");
    }

    [Fact]
    public async Task ARateLimitedUpdateIsTriedAgainOnTheNextRun()
    {
        await RaiseAlertAsync();
        await DeliverAsync();
        string alertId = (await DeliveriesAsync()).Single().AlertId;
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _host.Services.GetRequiredService<IAlertService>().AcknowledgeAsync(alertId, new AlertActor(SlackHost.Responder, "Sam"), default);
        Slack.RateLimitNext("chat.update", 30);

        DeliveryRunResult throttled = await DeliverAsync();
        DeliveryRunResult retried = await DeliverAsync();

        throttled.Refreshed.ShouldBe(0);
        retried.Refreshed.ShouldBe(1);
        Slack.CallsTo("chat.update").Count.ShouldBe(2, "the 429 was handed to the outbox at once, not waited out inside the run");
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
    }

    [Fact]
    public async Task AChannelSubscribedWithTheSlashCommandReceivesTheNextAlert()
    {
        await _host.DisposeAsync();
        _host = await StartHostAsync();
        const string channel = "C0SUBSCRIBED";
        string tooEarly = Slack.NewResponseUrl("too-early");
        string subscribed = Slack.NewResponseUrl("subscribed");

        // Before the bot has heard from the channel, there is nothing to post to: the command says so.
        await _host.PostCommandAsync("subscribe", SlackHost.Admin, channel, tooEarly);
        await _host.WaitForCallsAsync(c => c.Any(x => x.Path.EndsWith("too-early", StringComparison.Ordinal)));
        var mention = new JsonObject
        {
            ["type"] = "app_mention",
            ["channel"] = channel,
            ["user"] = SlackHost.Admin,
            ["text"] = $"<@{SlackHost.BotUser}> whoami",
            ["ts"] = "1700000100.000100",
        };
        await _host.PostEventAsync(SlackHost.Envelope(mention, "EvSubscribeMention"));
        await _host.WaitForCallsAsync(c => c.Any(x => x.Method is "chat.postMessage" or "chat.postEphemeral"));
        await _host.PostCommandAsync("subscribe", SlackHost.Admin, channel, subscribed);
        IReadOnlyList<FakeSlackCall> answers = await _host.WaitForCallsAsync(c => c.Any(x => x.Path.EndsWith("/subscribed", StringComparison.Ordinal)));
        int postsBefore = Slack.Posted.Count;
        await RaiseAlertAsync();
        DeliveryRunResult run = await DeliverAsync();

        answers.Single(c => c.Path.EndsWith("too-early", StringComparison.Ordinal)).Json!["text"]!.GetValue<string>().ShouldContain("Not subscribed");
        answers.Single(c => c.Path.EndsWith("/subscribed", StringComparison.Ordinal)).Json!["text"]!.GetValue<string>().ShouldContain("now receives all alerts");
        run.Sent.ShouldBe(1);
        FakePostedMessage alert = Slack.Posted.Skip(postsBefore).ShouldHaveSingleItem();
        alert.Channel.ShouldBe(channel);
        alert.Body["metadata"]!["event_type"]!.GetValue<string>().ShouldBe("chatopsbot_alert");
        (await DeliveriesAsync()).Single().Target.ShouldBe("conversation:slack:" + channel);
    }

    [Fact]
    public void TheHostDeliversSlackTargetsWithTheSlackSenderAndChecksThemOnStart()
    {
        _host.Services.GetServices<IConversationAlertSender>().ShouldContain(s => s.ChannelId == "slack" && s is ChatOpsBot.Slack.SlackAlertSender);
        _host.Services.GetServices<Microsoft.Extensions.Options.IValidateOptions<AlertsOptions>>().ShouldContain(v => v is ChatOpsBot.Slack.SlackAlertTargetsValidator);
    }

    private async Task<SlackHost> StartHostAsync(params (string Key, string Value)[] settings)
    {
        (string, string)[] mimecast = [.. IntegrationHostSettings.Mimecast(_mimecast).Select(kv => (kv.Key, kv.Value!))];
        return await SlackHost.StartAsync(_clock, [.. mimecast, ("Alerts:RetryBaseDelay", "00:00:30"), .. settings]);
    }

    private async Task RaiseAlertAsync()
    {
        await _host.Services.GetRequiredService<UrlMonitor>().RunOnceAsync(default);
        (await DeliveriesAsync()).ShouldNotBeEmpty("the monitor raised an alert for the malicious click");
    }

    private Task<DeliveryRunResult> DeliverAsync() => _host.Services.GetRequiredService<AlertDeliveryService>().DeliverDueAsync(default);

    private Task<List<AlertDelivery>> DeliveriesAsync() =>
        _host.Services.GetRequiredService<AlertDatabase>().ReadAsync(c => AlertStore.DeliveriesAsync(c, null, null, null, 100, default), default);

    private static DateTimeOffset Seconds(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string Utc(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A malicious attachment from the one bursting sender, as Mimecast's attachment log lists it.</summary>
    private static JsonObject Attachment(DateTimeOffset at, string recipient) => new()
    {
        ["senderAddress"] = "evil@bad.example",
        ["recipientAddress"] = recipient,
        ["fileName"] = "invoice.xlsm",
        ["fileType"] = "application/vnd.ms-excel.sheet.macroEnabled.12",
        ["result"] = "malicious",
        ["actionTriggered"] = "none",
        ["date"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000",
        ["details"] = "Malicious",
        ["route"] = "inbound",
        ["messageId"] = $"<{Guid.NewGuid():N}@bad.example>",
        ["subject"] = "Invoice",
        ["fileHash"] = "168dde02cf41aed3bf31ad831b75d8ee0b738304baa6957c40e29b2487f15116",
        ["definition"] = "Default Inbound Attachment Protect Definition",
    };

    private static IEnumerable<JsonObject> Buttons(JsonObject message) =>
        message["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "actions").SelectMany(b => b!["elements"]!.AsArray()).Select(e => e!.AsObject());

    /// <summary>
    /// Every string of a message that Slack shows or formats (text, blocks, fields, button labels). Button values are
    /// left out: they are never shown, and carry the real sender or URL back to <c>block sender</c>/<c>block url</c>.
    /// </summary>
    private static List<string> Strings(JsonNode? node)
    {
        var found = new List<string>();
        Walk(node);
        return found;

        void Walk(JsonNode? current)
        {
            switch (current)
            {
                case JsonObject o:
                    foreach ((string key, JsonNode? child) in o)
                    {
                        if (key is not ("value" or "metadata"))
                        {
                            Walk(child);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (JsonNode? child in a)
                    {
                        Walk(child);
                    }

                    break;
                case JsonValue v when v.TryGetValue(out string? text):
                    found.Add(text);
                    break;
                default:
                    break;
            }
        }
    }
}
