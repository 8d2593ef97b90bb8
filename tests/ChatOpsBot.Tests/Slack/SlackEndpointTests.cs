using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Slack.Fakes;
using Shouldly;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Slack;

/// <summary>
/// Slack end to end through the real endpoints: signed requests in, the command layer, answers to a fake Slack Web API
/// on 127.0.0.1.
/// </summary>
public sealed class SlackEndpointTests : IAsyncLifetime
{
    private SlackHost _host = null!;

    public async Task InitializeAsync() => _host = await SlackHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private FakeSlackApi Slack => _host.Slack;

    [Fact]
    public async Task UrlVerificationIsAnsweredWithTheChallenge()
    {
        HttpResponseMessage response = await _host.PostAsync("/api/slack/events", """{"token":"x","challenge":"3eZbrw1aBm2","type":"url_verification"}"""u8.ToArray(), "application/json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("challenge").GetString().ShouldBe("3eZbrw1aBm2");
    }

    [Fact]
    public async Task BadlySignedAndStaleRequestsAre401AndReachNothing()
    {
        byte[] body = Encoding.UTF8.GetBytes(SlackHost.DirectMessage("help", SlackHost.Reader, "EvBad1").ToJsonString());

        HttpResponseMessage wrongSecret = await _host.PostAsync("/api/slack/events", body, "application/json", secret: "0000000000000000wrongsecret");
        HttpResponseMessage stale = await _host.PostAsync("/api/slack/events", body, "application/json", timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 301);
        HttpResponseMessage future = await _host.PostAsync("/api/slack/commands", "command=%2Fchatops&user_id=U1&channel_id=C1"u8.ToArray(), "application/x-www-form-urlencoded", timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600);
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/slack/interactions") { Content = new StringContent("payload=%7B%7D", Encoding.ASCII, "application/x-www-form-urlencoded") };
        HttpResponseMessage noSignature = await _host.Client.SendAsync(unsigned);

        wrongSecret.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        stale.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        future.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        noSignature.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await Task.Delay(200);
        Slack.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task ARetriedEventIsAnsweredOnce()
    {
        JsonObject message = SlackHost.DirectMessage("help", SlackHost.Reader, "EvRetry1");

        (await _host.PostEventAsync(message)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _host.PostEventAsync(message, [("X-Slack-Retry-Num", "1"), ("X-Slack-Retry-Reason", "http_timeout")])).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _host.PostEventAsync(message, [("X-Slack-Retry-Num", "2"), ("X-Slack-Retry-Reason", "http_error")])).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _host.WaitForCallsAsync(calls => calls.Any(c => c.Method == "chat.postMessage"));
        await Task.Delay(300);
        Slack.CallsTo("chat.postMessage").Count.ShouldBe(1);
        bool first = await _host.Services.GetRequiredService<IInboundDeduplicationStore>().TryRecordAsync("slack", "event:EvRetry1", DateTimeOffset.UtcNow.AddHours(1), default);
        first.ShouldBeFalse("the delivery id is recorded in the database");
    }

    [Fact]
    public async Task TheBotsOwnMessagesAndOtherBotsAreIgnored()
    {
        JsonObject own = SlackHost.DirectMessage("help", SlackHost.BotUser, "EvOwn1");
        JsonObject otherBot = SlackHost.DirectMessage("help", SlackHost.Reader, "EvBot1");
        otherBot["event"]!["bot_id"] = "B999";

        (await _host.PostEventAsync(own)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _host.PostEventAsync(otherBot)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Task.Delay(300);
        Slack.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task ADirectMessageIsAnsweredInTheDmWithBlockKit()
    {
        await _host.PostEventAsync(SlackHost.DirectMessage("help", SlackHost.Reader, "EvHelp1"));

        IReadOnlyList<FakeSlackCall> calls = await _host.WaitForCallsAsync(c => c.Any(x => x.Method == "chat.postMessage"));

        JsonObject posted = calls.Single(c => c.Method == "chat.postMessage").Json!;
        posted["channel"]!.GetValue<string>().ShouldBe("D0READER");
        posted["blocks"]![0]!["type"]!.GetValue<string>().ShouldBe("header");
        posted["blocks"]!.ToJsonString().ShouldContain("\"action_id\":\"whoami\"");
    }

    [Fact]
    public async Task ASlashCommandIsAcknowledgedAtOnceAndAnsweredThroughItsResponseUrl()
    {
        string usageUrl = Slack.NewResponseUrl("cmd-usage");
        string resultUrl = Slack.NewResponseUrl("cmd-result");

        HttpResponseMessage ack = await _host.PostCommandAsync("vip check", SlackHost.Analyst, "C0SOC", usageUrl);
        HttpResponseMessage ack2 = await _host.PostCommandAsync("vip check \"Jordan Avery\" jordan.avery@c0ntoso.example", SlackHost.Analyst, "C0SOC", resultUrl);

        ack.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ack.Content.ReadAsStringAsync()).ShouldBeEmpty();
        ack2.StatusCode.ShouldBe(HttpStatusCode.OK);
        IReadOnlyList<FakeSlackCall> calls = await _host.WaitForCallsAsync(c => c.Count(x => x.Method == "response_url") >= 2);
        FakeSlackCall usage = calls.Single(c => c.Path.EndsWith("cmd-usage", StringComparison.Ordinal));
        usage.Authorization.ShouldBeEmpty();
        usage.Json!["response_type"]!.GetValue<string>().ShouldBe("ephemeral");
        FakeSlackCall result = calls.Single(c => c.Path.EndsWith("cmd-result", StringComparison.Ordinal));
        result.Json!["response_type"]!.GetValue<string>().ShouldBe("in_channel");
        result.Json["text"]!.GetValue<string>().ShouldContain("Jordan Avery");
        Slack.CallsTo("chat.postMessage").ShouldBeEmpty();
    }

    [Fact]
    public async Task ARoleIsCheckedOnTheSlackUserId()
    {
        string url = Slack.NewResponseUrl("denied");

        await _host.PostCommandAsync("vip list", SlackHost.Reader, "C0SOC", url);

        FakeSlackCall denied = (await _host.WaitForCallsAsync(c => c.Any(x => x.Method == "response_url"))).Single(c => c.Method == "response_url");
        denied.Json!["response_type"]!.GetValue<string>().ShouldBe("ephemeral");
        denied.Json["text"]!.GetValue<string>().ShouldContain("Not allowed");
    }

    [Fact]
    public async Task ConfirmingOnAButtonUpdatesTheConfirmationMessage()
    {
        FakePostedMessage confirmation = await AskToRemoveAVipAsync();
        JsonObject confirm = Buttons(confirmation.Body).Single(b => b["action_id"]!.GetValue<string>() == "confirm");

        HttpResponseMessage pressed = await _host.PostInteractionAsync(BlockActions(SlackHost.Responder, confirmation.Channel, confirmation.Ts, confirm, Slack.NewResponseUrl()));

        pressed.StatusCode.ShouldBe(HttpStatusCode.OK);
        FakeSlackCall update = (await _host.WaitForCallsAsync(c => c.Any(x => x.Method == "chat.update"))).Single(c => c.Method == "chat.update");
        update.Json!["channel"]!.GetValue<string>().ShouldBe(confirmation.Channel);
        update.Json["ts"]!.GetValue<string>().ShouldBe(confirmation.Ts);
        update.Json["text"]!.GetValue<string>().ShouldContain("VIP removed");
        (await _host.Services.GetRequiredService<IVipStore>().ListAsync(default)).ShouldNotContain(v => v.Email == "jane.doe@corp.test");
    }

    [Fact]
    public async Task SomeoneElsesPressOfAConfirmButtonRunsNothingAndIsToldPrivately()
    {
        FakePostedMessage confirmation = await AskToRemoveAVipAsync();
        JsonObject confirm = Buttons(confirmation.Body).Single(b => b["action_id"]!.GetValue<string>() == "confirm");
        string responseUrl = Slack.NewResponseUrl("other-press");

        await _host.PostInteractionAsync(BlockActions(SlackHost.Analyst, confirmation.Channel, confirmation.Ts, confirm, responseUrl));

        FakeSlackCall answer = (await _host.WaitForCallsAsync(c => c.Any(x => x.Path.EndsWith("other-press", StringComparison.Ordinal))))
            .Single(c => c.Path.EndsWith("other-press", StringComparison.Ordinal));
        answer.Json!["response_type"]!.GetValue<string>().ShouldBe("ephemeral");
        answer.Json["text"]!.GetValue<string>().ShouldContain("Not yours to confirm");
        Slack.CallsTo("chat.update").ShouldBeEmpty();
        (await _host.Services.GetRequiredService<IVipStore>().ListAsync(default)).ShouldContain(v => v.Email == "jane.doe@corp.test");
    }

    /// <summary>A responder adds a VIP, then asks (mentioning the bot in a channel) to remove it: the confirmation card.</summary>
    private async Task<FakePostedMessage> AskToRemoveAVipAsync()
    {
        await _host.PostEventAsync(SlackHost.DirectMessage("vip add \"Jane Doe\" jane.doe@corp.test", SlackHost.Responder, "EvAdd" + Guid.NewGuid().ToString("N")));
        await _host.WaitForCallsAsync(c => c.Any(x => x.Method == "chat.postMessage"));
        var mention = new JsonObject
        {
            ["type"] = "app_mention",
            ["channel"] = "C0SOC",
            ["user"] = SlackHost.Responder,
            ["text"] = $"<@{SlackHost.BotUser}> vip remove jane.doe@corp.test",
            ["ts"] = "1700000050.000100",
        };
        await _host.PostEventAsync(SlackHost.Envelope(mention, "EvRemove" + Guid.NewGuid().ToString("N")));
        await _host.WaitForCallsAsync(_ => Slack.Posted.Count >= 2);
        FakePostedMessage confirmation = Slack.Posted[^1];
        confirmation.Channel.ShouldBe("C0SOC");
        confirmation.Body["thread_ts"]!.GetValue<string>().ShouldBe("1700000050.000100");
        return confirmation;
    }

    [Fact]
    public async Task AnEmlSharedInADirectMessageIsDownloadedWithTheTokenAndAnalysed()
    {
        JsonObject file = Slack.AddFile("F0PHISH", "phish.eml", "message/rfc822", File.ReadAllBytes(ChatOpsBot.TestSupport.RepositoryFolder.PathTo(Path.Combine("tests", "ChatOpsBot.Tests", "Commands", "Samples", "phish.eml"))));

        await _host.PostEventAsync(SlackHost.DirectMessage(string.Empty, SlackHost.Reader, "EvFile1", [file]));

        IReadOnlyList<FakeSlackCall> calls = await _host.WaitForCallsAsync(c => c.Any(x => x.Method is "chat.postMessage" or "chat.update"));
        calls.Single(c => c.Method == "download").Authorization.ShouldBe("Bearer " + SlackHost.Token);
        FakeSlackCall verdict = calls.Last(c => c.Method is "chat.postMessage" or "chat.update");
        string header = verdict.Json!["blocks"]![0]!["text"]!["text"]!.GetValue<string>();
        header.ShouldContain("score");
        verdict.Json["blocks"]!.ToJsonString().ShouldContain("login[.]evil[.]test");
    }

    [Fact]
    public async Task AnOutlookMsgSharedInADirectMessageIsAnalysedLikeAnEml()
    {
        byte[] eml = File.ReadAllBytes(ChatOpsBot.TestSupport.RepositoryFolder.PathTo(Path.Combine("tests", "ChatOpsBot.Tests", "Commands", "Samples", "phish.eml")));
        JsonObject file = Slack.AddFile("F0PHISHMSG", "phish.msg", "application/vnd.ms-outlook", ChatOpsBot.Mail.Tests.Outlook.EmlToMsg.Convert(eml));

        await _host.PostEventAsync(SlackHost.DirectMessage(string.Empty, SlackHost.Reader, "EvMsgFile1", [file]));

        IReadOnlyList<FakeSlackCall> calls = await _host.WaitForCallsAsync(c => c.Any(x => x.Method is "chat.postMessage" or "chat.update"));
        calls.Single(c => c.Method == "download").Authorization.ShouldBe("Bearer " + SlackHost.Token);
        FakeSlackCall verdict = calls.Last(c => c.Method is "chat.postMessage" or "chat.update");
        string blocks = verdict.Json!["blocks"]!.ToJsonString();
        verdict.Json["blocks"]![0]!["text"]!["text"]!.GetValue<string>().ShouldContain("score");
        blocks.ShouldContain("login[.]evil[.]test");
        blocks.ShouldContain("multipart/mixed");
    }

    [Fact]
    public async Task MailForwardedIntoAChannelIsAnalysedFromSlacksCopy()
    {
        byte[] rendering = "<html><body><p>Keep your password: <a href=\"https://login.evil.test/o365\">https://login.microsoftonline.com/</a></p></body></html>"u8.ToArray();
        Slack.AddFile("F0MAIL", "Your password expires today", "text/html", rendering, mode: "email", extra: new JsonObject
        {
            ["filetype"] = "email",
            ["subject"] = "Your password expires today",
            ["from"] = new JsonArray(new JsonObject { ["address"] = "helpdesk@corp.test", ["name"] = "IT Helpdesk", ["original"] = "IT Helpdesk <helpdesk@corp.test>" }),
            ["to"] = new JsonArray(new JsonObject { ["address"] = "alice@corp.test", ["name"] = "Alice" }),
            ["cc"] = new JsonArray(),
            ["headers"] = new JsonObject { ["date"] = "Tue, 9 Jan 2024 10:00:00 +0000", ["reply_to"] = "helpdesk@evil.test", ["message_id"] = "<p1@evil.test>" },
            ["plain_text"] = "Keep your password: https://login.microsoftonline.com/",
        });
        var shared = new JsonObject
        {
            ["type"] = "file_shared",
            ["channel_id"] = "C0PHISHREPORTS",
            ["file_id"] = "F0MAIL",
            ["user_id"] = "USLACKBOT",
            ["file"] = new JsonObject { ["id"] = "F0MAIL" },
            ["event_ts"] = "1700000000.000300",
        };

        (await _host.PostEventAsync(SlackHost.Envelope(shared, "EvMail1"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        IReadOnlyList<FakeSlackCall> calls = await _host.WaitForCallsAsync(c => c.Any(x => x.Method == "chat.postMessage"));
        calls.ShouldContain(c => c.Method == "files.info");
        FakeSlackCall verdict = calls.Single(c => c.Method == "chat.postMessage");
        verdict.Json!["channel"]!.GetValue<string>().ShouldBe("C0PHISHREPORTS");
        string blocks = verdict.Json["blocks"]!.ToJsonString();
        blocks.ShouldContain("login[.]evil[.]test");
        blocks.ShouldContain("rebuilt from Slack");
    }

    [Fact]
    public async Task AFileSharedInAChannelThatIsNotMailIsLeftAlone()
    {
        Slack.AddFile("F0PNG", "screenshot.png", "image/png", [0x89, 0x50, 0x4E, 0x47]);
        var shared = new JsonObject { ["type"] = "file_shared", ["channel_id"] = "C0GENERAL", ["file_id"] = "F0PNG", ["user_id"] = "U0SOMEONE", ["event_ts"] = "1.2" };

        await _host.PostEventAsync(SlackHost.Envelope(shared, "EvPng1"));

        await _host.WaitForCallsAsync(c => c.Any(x => x.Method == "files.info"));
        await Task.Delay(300);
        Slack.Calls.Where(c => c.Method != "files.info").ShouldBeEmpty();
    }

    [Fact]
    public async Task WithoutFilesReadTheUserIsToldTheAppNeedsTheScope()
    {
        Slack.WithoutFilesRead = true;
        JsonObject file = Slack.AddFile("F0NOSCOPE", "phish.eml", "message/rfc822", "From: a@evil.test\r\n\r\nx"u8.ToArray());

        await _host.PostEventAsync(SlackHost.DirectMessage(string.Empty, SlackHost.Reader, "EvScope1", [file]));

        IReadOnlyList<FakeSlackCall> calls = await _host.WaitForCallsAsync(c => c.Count(x => x.Method == "chat.postMessage") >= 2);
        List<string> texts = [.. calls.Where(c => c.Method == "chat.postMessage").Select(c => c.Json!["text"]!.GetValue<string>())];
        texts.ShouldContain(t => t.Contains("files:read", StringComparison.Ordinal));
        texts.ShouldContain(t => t.Contains("could not download", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A429DuringPostingIsRetriedAfterRetryAfter()
    {
        Slack.RateLimitNext("chat.postMessage", 1);

        await _host.PostEventAsync(SlackHost.DirectMessage("help", SlackHost.Reader, "EvRate1"));

        IReadOnlyList<FakeSlackCall> calls = await _host.WaitForCallsAsync(c => c.Count(x => x.Method == "chat.postMessage") >= 2);
        calls.Count(c => c.Method == "chat.postMessage").ShouldBe(2);
        calls.Last(c => c.Method == "chat.postMessage").Json!["blocks"].ShouldNotBeNull();
    }

    [Fact]
    public async Task WithoutATokenAndSecretSlackIsOffAndItsUrlsAre404()
    {
        await using SlackHost off = await SlackHost.StartAsync(("Slack:BotToken", ""), ("Slack:SigningSecret", ""));

        HttpResponseMessage events = await off.PostAsync("/api/slack/events", """{"type":"url_verification","challenge":"x"}"""u8.ToArray(), "application/json");
        HttpResponseMessage commands = await off.PostCommandAsync("help", SlackHost.Reader, "C1", off.Slack.NewResponseUrl());

        events.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        commands.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await off.Client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnOversizedBodyIs413()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"type\":\"event_callback\",\"x\":\"" + new string('x', 300 * 1024) + "\"}");

        HttpResponseMessage response = await _host.PostAsync("/api/slack/events", body, "application/json");

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    private static IEnumerable<JsonObject> Buttons(JsonObject message) =>
        message["blocks"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "actions").SelectMany(b => b!["elements"]!.AsArray()).Select(e => e!.AsObject());

    internal static JsonObject BlockActions(string userId, string channelId, string messageTs, JsonObject button, string responseUrl) => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = userId, ["username"] = "sam", ["team_id"] = "T111" },
        ["api_app_id"] = "A111",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channelId, ["is_ephemeral"] = false },
        ["trigger_id"] = "111.222.trigger",
        ["team"] = new JsonObject { ["id"] = "T111" },
        ["channel"] = new JsonObject { ["id"] = channelId },
        ["response_url"] = responseUrl,
        ["actions"] = new JsonArray(new JsonObject
        {
            ["action_id"] = button["action_id"]!.GetValue<string>(),
            ["block_id"] = "b1",
            ["text"] = button["text"]!.DeepClone(),
            ["value"] = button["value"]!.GetValue<string>(),
            ["type"] = "button",
            ["action_ts"] = "1700000001." + Guid.NewGuid().ToString("N")[..6],
        }),
    };
}
