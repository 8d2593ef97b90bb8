using System.Net;
using System.Text.Json.Nodes;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Slack.Inbound;
using ChatOpsBot.Slack.Tests.Support;
using ChatOpsBot.Slack.WebApi;
using ChatOpsBot.Tests.Slack.Fakes;

namespace ChatOpsBot.Slack.Tests.WebApi;

public sealed class SlackWebApiClientTests : IAsyncLifetime
{
    private SlackHarness _harness = null!;

    private static BlockKitMessage Notice => BlockKitRenderer.Render(NoticeCard.Build("VIP added", "Priya Raman is now protected.", NoticeStyle.Success));

    public async Task InitializeAsync() => _harness = await SlackHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task PostMessageSendsTheBlocksAsJsonWithTheBotTokenAndNoUnfurling()
    {
        SlackMessageRef posted = await _harness.Get<ISlackWebApi>().PostMessageAsync("C111", Notice, "1700000000.000001", default);

        posted.Channel.ShouldBe("C111");
        posted.Ts.ShouldStartWith("1700000000.");
        FakeSlackCall call = _harness.Slack.CallsTo("chat.postMessage").ShouldHaveSingleItem();
        call.Authorization.ShouldBe("Bearer " + SlackHarness.Token);
        call.ContentType.ShouldStartWith("application/json");
        JsonObject body = call.Json!;
        body["channel"]!.GetValue<string>().ShouldBe("C111");
        body["thread_ts"]!.GetValue<string>().ShouldBe("1700000000.000001");
        body["text"]!.GetValue<string>().ShouldBe(Notice.Text);
        body["blocks"]!.AsArray().Count.ShouldBe(Notice.Blocks.Count);
        body["blocks"]![0]!["type"]!.GetValue<string>().ShouldBe("header");
        body["unfurl_links"]!.GetValue<bool>().ShouldBeFalse();
        body["unfurl_media"]!.GetValue<bool>().ShouldBeFalse();
        body["link_names"]!.GetValue<bool>().ShouldBeFalse();
        body["parse"]!.GetValue<string>().ShouldBe("none");
    }

    [Fact]
    public async Task UpdateReplacesTheMessageByChannelAndTs()
    {
        SlackMessageRef updated = await _harness.Get<ISlackWebApi>().UpdateMessageAsync("C111", "1700000000.000123", Notice, default);

        updated.ShouldBe(new SlackMessageRef("C111", "1700000000.000123"));
        JsonObject body = _harness.Slack.CallsTo("chat.update").ShouldHaveSingleItem().Json!;
        body["ts"]!.GetValue<string>().ShouldBe("1700000000.000123");
        body["blocks"].ShouldNotBeNull();
    }

    [Fact]
    public async Task EphemeralGoesToOneUserAndReturnsItsTimestamp()
    {
        string ts = await _harness.Get<ISlackWebApi>().PostEphemeralAsync("C111", "W222", Notice, null, default);

        ts.ShouldStartWith("1700000000.");
        JsonObject body = _harness.Slack.CallsTo("chat.postEphemeral").ShouldHaveSingleItem().Json!;
        body["user"]!.GetValue<string>().ShouldBe("W222");
        body.ContainsKey("thread_ts").ShouldBeFalse();
    }

    [Fact]
    public async Task OkFalseIsSurfacedWithSlacksErrorCode()
    {
        _harness.Slack.FailNext("chat.postMessage", "not_in_channel");

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(() => _harness.Get<ISlackWebApi>().PostMessageAsync("C111", Notice, null, default));

        error.Method.ShouldBe("chat.postMessage");
        error.Error.ShouldBe("not_in_channel");
        error.StatusCode.ShouldBe(HttpStatusCode.OK);
        error.Message.ShouldBe("Slack chat.postMessage failed: not_in_channel");
        _harness.Logs.AllText.ShouldContain("Slack chat.postMessage failed: not_in_channel");
    }

    [Fact]
    public async Task AMissingScopeNamesTheScope()
    {
        _harness.Slack.FailNext("files.info", "missing_scope", needed: "files:read");

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(() => _harness.Get<ISlackWebApi>().GetFileInfoAsync("F1", default));

        error.Error.ShouldBe("missing_scope");
        error.NeededScope.ShouldBe("files:read");
        error.Message.ShouldContain("needs the files:read scope");
    }

    [Fact]
    public async Task A429IsRetriedAfterItsRetryAfter()
    {
        _harness.Slack.RateLimitNext("chat.postMessage", 7);
        DateTimeOffset start = _harness.Clock.GetUtcNow();

        SlackMessageRef posted = await _harness.WithClockAsync(() => _harness.Get<ISlackWebApi>().PostMessageAsync("C111", Notice, null, default));

        posted.Channel.ShouldBe("C111");
        _harness.Slack.CallsTo("chat.postMessage").Count.ShouldBe(2);
        (_harness.Clock.GetUtcNow() - start).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(7));
        _harness.Logs.AllText.ShouldContain("rate-limited (429); retry 1 after 7 s");
    }

    [Fact]
    public async Task A429AskingForTooLongAWaitFailsAtOnceWithTheWait()
    {
        _harness.Slack.RateLimitNext("chat.postMessage", 3600);

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(() => _harness.Get<ISlackWebApi>().PostMessageAsync("C111", Notice, null, default));

        error.Error.ShouldBe(SlackApiException.RateLimited);
        error.RetryAfter.ShouldBe(TimeSpan.FromHours(1));
        error.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        _harness.Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
    }

    [Fact]
    public async Task RepeatedRateLimitsStopAfterTheConfiguredRetries()
    {
        for (int i = 0; i < 10; i++)
        {
            _harness.Slack.RateLimitNext("chat.update", 1);
        }

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(() => _harness.WithClockAsync(() => _harness.Get<ISlackWebApi>().UpdateMessageAsync("C1", "1.2", Notice, default)));

        error.Error.ShouldBe(SlackApiException.RateLimited);
        _harness.Slack.CallsTo("chat.update").Count.ShouldBe(4);
    }

    [Fact]
    public async Task AProactiveUpdateThrowsA429AtOnceWithTheWaitForItsCallerToSchedule()
    {
        _harness.Slack.RateLimitNext("chat.update", 5);

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(() => _harness.Get<ISlackWebApi>().UpdateProactiveMessageAsync("C1", "1.2", Notice, default));

        error.Error.ShouldBe(SlackApiException.RateLimited);
        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(5));
        _harness.Slack.CallsTo("chat.update").Count.ShouldBe(1);
    }

    [Fact]
    public async Task AServerErrorIsNotRetriedSoAMessageIsNeverPostedTwice()
    {
        _harness.Slack.StatusNext("chat.postMessage", 503);

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(() => _harness.Get<ISlackWebApi>().PostMessageAsync("C111", Notice, null, default));

        error.Error.ShouldBe("http_503");
        _harness.Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
    }

    [Fact]
    public async Task AProactivePostCarriesItsMetadataAndTheSameSafetySettings()
    {
        var metadata = new SlackMessageMetadata("chatopsbot_alert", new Dictionary<string, string> { ["idempotency_key"] = "chatopsbot.alt-1.abc" });

        SlackMessageRef posted = await _harness.Get<ISlackWebApi>().PostProactiveMessageAsync("C0SOC", Notice, metadata, default);

        posted.Channel.ShouldBe("C0SOC");
        JsonObject body = _harness.Slack.CallsTo("chat.postMessage").ShouldHaveSingleItem().Json!;
        body["metadata"]!["event_type"]!.GetValue<string>().ShouldBe("chatopsbot_alert");
        body["metadata"]!["event_payload"]!["idempotency_key"]!.GetValue<string>().ShouldBe("chatopsbot.alt-1.abc");
        body["unfurl_links"]!.GetValue<bool>().ShouldBeFalse();
        body["link_names"]!.GetValue<bool>().ShouldBeFalse();
        body["parse"]!.GetValue<string>().ShouldBe("none");
        body.ContainsKey("thread_ts").ShouldBeFalse();
    }

    [Fact]
    public async Task AProactivePostDoesNotWaitOutA429ButReturnsItWithItsWait()
    {
        _harness.Slack.RateLimitNext("chat.postMessage", 7);

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(
            () => _harness.Get<ISlackWebApi>().PostProactiveMessageAsync("C0SOC", Notice, null, default));

        error.Error.ShouldBe(SlackApiException.RateLimited);
        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        _harness.Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
        _harness.Clock.PendingTimers.ShouldBe(0, "nothing waits for the Retry-After");
    }

    [Fact]
    public async Task ARefusedConnectionIsUnreachableBecauseNothingWasSent()
    {
        int closedPort = ClosedLoopbackPort();
        await using SlackHarness harness = await SlackHarness.StartAsync(new() { ["Slack:ApiBaseUrl"] = $"http://127.0.0.1:{closedPort}/api/" });

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(
            () => harness.Get<ISlackWebApi>().PostProactiveMessageAsync("C0SOC", Notice, null, default));

        error.Error.ShouldBe(SlackApiException.Unreachable);
    }

    [Fact]
    public async Task AConnectionDroppedAfterThePostWasSentIsConnectionLostAndNotSentAgain()
    {
        // A first call leaves a pooled connection: the HTTP stack's own retry on a reused connection must not resend either.
        await _harness.Get<ISlackWebApi>().PostMessageAsync("C0SOC", Notice, null, default);
        _harness.Slack.StoreThenDropNextPost();

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(
            () => _harness.Get<ISlackWebApi>().PostProactiveMessageAsync("C0SOC", Notice, null, default));

        error.Error.ShouldBe(SlackApiException.ConnectionLost);
        _harness.Slack.Posted.Count.ShouldBe(2, "Slack posted it before the connection broke");
        _harness.Slack.CallsTo("chat.postMessage").Count.ShouldBe(2, "neither this client nor the HTTP stack resent the POST");
    }

    [Fact]
    public async Task AnAnswerThatNeverComesIsATimeoutAndTheMessageIsNotPostedAgain()
    {
        await using SlackHarness harness = await SlackHarness.StartAsync(new() { ["Slack:RequestTimeout"] = "00:00:01" });
        harness.Slack.StoreThenStallNextPost();

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(
            () => harness.Get<ISlackWebApi>().PostMessageAsync("C0SOC", Notice, null, default));

        error.Error.ShouldBe(SlackApiException.Timeout);
        harness.Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
    }

    [Fact]
    public async Task AWrongTokenIsInvalidAuthAndTheTokenIsNeverInTheErrorOrTheLogs()
    {
        await using SlackHarness harness = await SlackHarness.StartAsync(token: "xoxb-9999-wrong-secret-token");

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(() => harness.Get<ISlackWebApi>().PostMessageAsync("C111", Notice, null, default));

        error.Error.ShouldBe("invalid_auth");
        error.ToString().ShouldNotContain("xoxb-9999");
        // Logging runs at Trace here, where the HTTP client factory logs the request headers (values redacted).
        harness.Logs.AllText.ShouldContain("chat.postMessage");
        harness.Logs.AllText.ShouldContain("Authorization");
        harness.Logs.AllText.ShouldNotContain("xoxb-9999");
        harness.Logs.AllText.ShouldNotContain(SlackHarness.Secret);
    }

    [Fact]
    public async Task TooManyBlocksAreRefusedByTheFakeAsBySlack()
    {
        var message = new BlockKitMessage("x", [.. Enumerable.Range(0, 51).Select(_ => (SlackBlock)new SlackDividerBlock())]);

        SlackApiException error = await Should.ThrowAsync<SlackApiException>(() => _harness.Get<ISlackWebApi>().PostMessageAsync("C111", message, null, default));

        error.Error.ShouldBe("invalid_blocks");
    }

    [Fact]
    public async Task FilesInfoIsAFormPostAndReturnsTheFile()
    {
        _harness.Slack.AddFile("F0S43PZDF", "report.eml", "message/rfc822", "From: a@b.example\r\n\r\nhi"u8.ToArray());

        SlackFile file = await _harness.Get<ISlackWebApi>().GetFileInfoAsync("F0S43PZDF", default);

        file.Id.ShouldBe("F0S43PZDF");
        file.Name.ShouldBe("report.eml");
        file.UrlPrivateDownload.ShouldStartWith(_harness.Slack.Root.ToString());
        FakeSlackCall call = _harness.Slack.CallsTo("files.info").ShouldHaveSingleItem();
        call.ContentType.ShouldStartWith("application/x-www-form-urlencoded");
        call.Form["file"].ShouldBe("F0S43PZDF");
    }

    [Fact]
    public async Task ConversationsOpenReturnsTheDirectMessageChannel()
    {
        string channel = await _harness.Get<ISlackWebApi>().OpenDirectMessageAsync("U024BE7LH", default);

        channel.ShouldBe("D024BE7LH");
        _harness.Slack.CallsTo("conversations.open").ShouldHaveSingleItem().Json!["users"]!.GetValue<string>().ShouldBe("U024BE7LH");
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task SlackWithoutATokenRefusesToCall()
    {
        await using SlackHarness harness = await SlackHarness.StartAsync(new() { ["Slack:BotToken"] = "", ["Slack:SigningSecret"] = "" });

        await Should.ThrowAsync<InvalidOperationException>(() => harness.Get<ISlackWebApi>().PostMessageAsync("C1", Notice, null, default));
        harness.Slack.Calls.ShouldBeEmpty();
    }
}
