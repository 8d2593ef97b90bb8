using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.Analysis.TtpMetrics;
using ChatOpsBot.Cards;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Commands.Support;

namespace ChatOpsBot.Tests.Commands.Conversations;

/// <summary>metrics (live), decode, block sender and block url through the gateway, against the fake Mimecast on 127.0.0.1.</summary>
public sealed class MimecastCommandTests : IAsyncLifetime
{
    private const string Rewritten = "https://protect-eu.mimecast.com/s/Zx9aBcD1eF2gH3?domain=login-micros0ft.example";
    private const string Original = "https://login-micros0ft.example/reset?user=dana";

    private FakeMimecastServer _mimecast = null!;
    private CommandHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _mimecast = await FakeMimecastServer.StartAsync();
        _bot = await CommandHarness.StartAsync(settings =>
        {
            settings.UseMimecast(_mimecast);
            settings["Mimecast:PageSize"] = "10";
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _mimecast.DisposeAsync();
    }

    [Fact]
    public async Task LiveMetricsCountEveryRecordOfThePeriodAcrossPages()
    {
        // The clock says 2026-01-20 12:00 UTC; "metrics 7" is 2026-01-14 00:00 until now.
        DateTimeOffset from = new(2026, 1, 14, 0, 0, 0, TimeSpan.Zero);
        _mimecast.ClickLogs = FakeMimecastServer.SyntheticClickLogs(95, from.AddHours(1), CommandHarness.Start.AddHours(-1));
        _mimecast.ClickLogs.AddRange(FakeMimecastServer.SyntheticClickLogs(5, from.AddDays(-20), from.AddDays(-10)));
        _mimecast.AttachmentLogs = Redate(_mimecast.AttachmentLogs, "date", from.AddDays(2));
        _mimecast.ImpersonationLogs = Redate(_mimecast.ImpersonationLogs, "eventTime", from.AddDays(3));
        TtpMetricsResult expected = AnalyzeAsExport(
            _mimecast.ClickLogs.Take(95), _mimecast.AttachmentLogs, _mimecast.ImpersonationLogs);

        RecordingResponder replies = await _bot.SayAsync("metrics 7", CommandHarness.Analyst);

        Reply card = replies.Single;
        card.Kind.ShouldBe(ReplyKind.Sent);
        string text = card.Text;
        text.ShouldContain("last 7 days · live from Mimecast");
        text.ShouldContain("URL click logs\n95", customMessage: "all 95 records of the period, over 10 pages of 10, and none of the 5 older ones");
        text.ShouldContain($"Attachment logs\n{_mimecast.AttachmentLogs.Count}");
        text.ShouldContain($"Impersonation logs\n{_mimecast.ImpersonationLogs.Count}");
        long threats = expected.UrlThreatsBlocked + expected.AttachmentThreatsBlocked + expected.ImpersonationDetected + expected.InternalThreats;
        threats.ShouldBeGreaterThan(0);
        text.ShouldContain($"**{threats}** threats in **{expected.TotalEmails}** emails");
        foreach (AttackTechniqueCount technique in expected.AttackTechniques)
        {
            text.ShouldContain(technique.ThreatId);
        }

        _mimecast.RequestsTo("/api/ttp/url/get-logs").Count.ShouldBeGreaterThanOrEqualTo(10);
        _bot.LastAudit.Command.ShouldBe("metrics");
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task LiveMetricsRefusedByMimecastShowTheMissingPermissionNotZeroes()
    {
        _mimecast.EnqueueFault("/api/ttp/url/get-logs", FakeFault.MimecastForbidden());

        RecordingResponder replies = await _bot.SayAsync("metrics", CommandHarness.Analyst);

        string text = replies.Single.Text;
        text.ShouldContain("Mimecast refused: the API application lacks a permission");
        text.ShouldContain("Monitoring | URL Protection | Read");
        text.ShouldContain("grant it to the application's role");
        text.ShouldContain("forbidden");
        text.ShouldContain(_bot.LastAudit.CorrelationId);
        text.ShouldNotContain("threats in");
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Failed);
    }

    [Fact]
    public async Task DecodeShowsTheOriginalDefanged()
    {
        _mimecast.RewrittenUrls[Rewritten] = Original;

        RecordingResponder replies = await _bot.SayAsync($"decode {Rewritten}", CommandHarness.Analyst);

        Reply card = replies.Single;
        card.Text.ShouldContain(Original);
        card.RawText.ShouldContain("hxxps://login-micros0ft");
        card.RawText.ShouldNotContain("https://login-micros0ft.example");
        card.Json.ShouldNotContain("Action.OpenUrl");
        _mimecast.RequestsTo("/api/ttp/url/decode-url").ShouldHaveSingleItem().Body.ShouldContain("Zx9aBcD1eF2gH3");
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task DecodeAcceptsADefangedUrl()
    {
        _mimecast.RewrittenUrls[Rewritten] = Original;

        RecordingResponder replies = await _bot.SayAsync("decode hxxps://protect-eu[.]mimecast[.]com/s/Zx9aBcD1eF2gH3?domain=login-micros0ft[.]example", CommandHarness.Analyst);

        replies.Single.Text.ShouldContain(Original);
    }

    [Fact]
    public async Task DecodeOfAUrlMimecastCannotDecodeSaysSoWithItsCode()
    {
        RecordingResponder replies = await _bot.SayAsync("decode https://example.com/not-rewritten", CommandHarness.Analyst);

        replies.Single.Text.ShouldContain("Mimecast could not decode this URL");
        replies.Single.Text.ShouldContain("err_xdk_url_decode_failed");
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task DecodeIsRefusedToReadersAndNothingIsSent()
    {
        RecordingResponder replies = await _bot.SayAsync($"decode {Rewritten}", CommandHarness.Reader);

        replies.Single.Text.ShouldContain("decode needs the analyst role");
        _mimecast.Requests.ShouldBeEmpty();
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
    }

    [Fact]
    public async Task BlockSenderAsksFirstThenCallsMimecastOnceAndShowsTheResult()
    {
        RecordingResponder asked = await _bot.SayAsync("block sender Invoices@Evil.Example", CommandHarness.Responder);

        Reply confirmation = asked.Single;
        confirmation.Text.ShouldContain("Block all mail from Invoices@evil.example for the whole organisation?");
        _mimecast.Requests.ShouldBeEmpty();
        _bot.LastAudit.Arguments.ShouldContain("confirmation requested");

        RecordingResponder done = await PressAsync(confirmation, CardActions.ConfirmVerb, CommandHarness.Responder);

        Reply result = done.Cards[^1];
        result.Kind.ShouldBe(ReplyKind.Updated);
        result.MessageId.ShouldBe(confirmation.MessageId);
        result.Text.ShouldContain("Sender blocked");
        result.Text.ShouldContain("Blocked Senders");
        FakeRequest add = _mimecast.RequestsTo("/api/directory/add-group-member").ShouldHaveSingleItem();
        add.Body.ShouldContain("Invoices@evil.example");
        _mimecast.GroupMembers.Count.ShouldBe(1);
        AuditEntry[] trail = [.. _bot.Audit.Entries.Where(e => e.Command == "block sender")];
        trail.Length.ShouldBe(2);
        trail[0].Arguments.ShouldContain("confirmation requested");
        trail[1].Arguments.ShouldContain("confirm pressed");
        trail[1].Outcome.ShouldBe(AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task BlockUrlConfirmedCreatesOneManagedUrlWithoutItsFragment()
    {
        Reply confirmation = (await _bot.SayAsync("block url hxxps://login-micros0ft[.]example/reset#step2", CommandHarness.Responder)).Single;
        confirmation.Text.ShouldContain("Block https://login-micros0ft.example/reset for the whole organisation?");

        RecordingResponder done = await PressAsync(confirmation, CardActions.ConfirmVerb, CommandHarness.Responder);

        done.Cards[^1].Text.ShouldContain("URL blocked");
        done.Cards[^1].Text.ShouldContain("https://login-micros0ft.example/reset");
        done.Cards[^1].RawText.ShouldNotContain("https://login-micros0ft.example");
        FakeRequest create = _mimecast.RequestsTo("/api/ttp/url/create-managed-url").ShouldHaveSingleItem();
        JsonNode item = JsonNode.Parse(create.Body)!["data"]![0]!;
        item["url"]!.GetValue<string>().ShouldBe("https://login-micros0ft.example/reset");
        item["action"]!.GetValue<string>().ShouldBe("block");
        _mimecast.ManagedUrls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task BlockingAUrlTwiceSaysItIsAlreadyManaged()
    {
        await PressAsync((await _bot.SayAsync("block url https://evil.example/a", CommandHarness.Responder)).Single, CardActions.ConfirmVerb, CommandHarness.Responder);

        RecordingResponder again = await PressAsync(
            (await _bot.SayAsync("block url https://evil.example/a", CommandHarness.Responder)).Single, CardActions.ConfirmVerb, CommandHarness.Responder);

        again.Cards[^1].Text.ShouldContain("Already managed");
        _mimecast.ManagedUrls.Count.ShouldBe(1);
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }

    [Fact]
    public async Task CancelledBlockNeverReachesMimecast()
    {
        Reply confirmation = (await _bot.SayAsync("block url https://evil.example/a", CommandHarness.Responder)).Single;

        RecordingResponder cancelled = await PressAsync(confirmation, CardActions.CancelVerb, CommandHarness.Responder);

        cancelled.Single.Text.ShouldContain("cancelled");
        _mimecast.Requests.ShouldBeEmpty();
        (await PressAsync(confirmation, CardActions.ConfirmVerb, CommandHarness.Responder)).Single.Text.ShouldContain("expired or was already used");
        _mimecast.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("block sender invoices@evil.example", CommandHarness.Analyst)]
    [InlineData("block url https://evil.example/a", CommandHarness.Analyst)]
    [InlineData("block sender invoices@evil.example", CommandHarness.Reader)]
    public async Task BlockIsRefusedBelowResponderWithoutAConfirmation(string text, string actor)
    {
        RecordingResponder replies = await _bot.SayAsync(text, actor);

        replies.Single.Kind.ShouldBe(ReplyKind.Private);
        replies.Single.Text.ShouldContain("needs the responder role");
        replies.Single.Json.ShouldNotContain("\"confirm\"");
        _mimecast.Requests.ShouldBeEmpty();
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Denied);
    }

    [Fact]
    public async Task ABlockMimecastRefusesIsAFailureCardWithItsCode()
    {
        _mimecast.EnqueueFault("/api/ttp/url/create-managed-url", FakeFault.MimecastFail("err_validation_blank_url", "The URL is not allowed"));
        Reply confirmation = (await _bot.SayAsync("block url https://evil.example/a", CommandHarness.Responder)).Single;

        RecordingResponder done = await PressAsync(confirmation, CardActions.ConfirmVerb, CommandHarness.Responder);

        string text = done.Cards[^1].Text;
        text.ShouldContain("Mimecast refused the request");
        text.ShouldContain("err_validation_blank_url");
        text.ShouldNotContain("URL blocked");
        _bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Failed);
    }

    private Task<RecordingResponder> PressAsync(Reply confirmation, string verb, string actor)
    {
        AdaptiveSubmitAction button = confirmation.Card!.Actions.Concat(confirmation.Card.Body.OfType<AdaptiveActionSet>().SelectMany(s => s.Actions))
            .OfType<AdaptiveSubmitAction>()
            .Single(a => a.Data is { } d && d[CardActions.VerbKey] == verb);
        Dictionary<string, string> args = button.Data!.Where(kv => kv.Key != CardActions.VerbKey).ToDictionary(kv => kv.Key, kv => kv.Value);
        return _bot.PressAsync(verb, actor, args, confirmation.MessageId);
    }

    private static List<JsonObject> Redate(List<JsonObject> records, string field, DateTimeOffset at) =>
        [.. records.Select((r, i) =>
        {
            JsonObject copy = r.DeepClone().AsObject();
            copy[field] = at.AddMinutes(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000";
            return copy;
        })];

    /// <summary>The same records as an analyst would export them (Mimecast API pages), through analyze-logs' analyzer.</summary>
    private static TtpMetricsResult AnalyzeAsExport(IEnumerable<JsonObject> clicks, IEnumerable<JsonObject> attachments, IEnumerable<JsonObject> impersonations)
    {
        var pages = new JsonArray(
            Page("clickLogs", clicks), Page("attachmentLogs", attachments), Page("impersonationLogs", impersonations));
        return TtpLogAnalyzer.Analyze(new MemoryStream(Encoding.UTF8.GetBytes(pages.ToJsonString())));
    }

    private static JsonObject Page(string kind, IEnumerable<JsonObject> records) =>
        new() { ["data"] = new JsonArray(new JsonObject { [kind] = new JsonArray([.. records.Select(r => (JsonNode)r.DeepClone())]) }) };
}

/// <summary>The same commands on a bot without Mimecast: a clear "not configured", never an empty result.</summary>
public sealed class MimecastNotConfiguredTests : HarnessTest
{
    [Theory]
    [InlineData("metrics 7", CommandHarness.Analyst)]
    [InlineData("decode https://protect-eu.mimecast.com/s/abc", CommandHarness.Analyst)]
    [InlineData("block sender invoices@evil.example", CommandHarness.Responder)]
    [InlineData("block url https://evil.example/a", CommandHarness.Responder)]
    public async Task EachSaysMimecastIsNotConfigured(string text, string actor)
    {
        RecordingResponder replies = await Bot.SayAsync(text, actor);

        replies.Single.Text.ShouldContain("Mimecast is not configured");
        replies.Single.Text.ShouldContain("Mimecast:ClientId");
        replies.Single.Json.ShouldNotContain("\"confirm\"");
        Bot.LastAudit.Outcome.ShouldBe(AuditOutcome.Usage);
    }
}
