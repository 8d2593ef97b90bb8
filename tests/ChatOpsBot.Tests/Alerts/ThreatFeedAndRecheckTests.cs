using System.Globalization;
using System.Text.Json.Nodes;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.ThreatFeed;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Storage;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Alerts;

public abstract class ThreatFeedTests : ProviderAlertTests
{
    protected override Task StartFakesAsync()
    {
        Mimecast.ClickLogs = [];
        Mimecast.AttachmentLogs = [];
        Mimecast.ImpersonationLogs = [];
        return Task.CompletedTask;
    }

    [ProviderFact]
    public async Task EventsAreMappedToSeed002AndBurstsFromOneSenderBecomeOneAlertWithACount()
    {
        Mimecast.AttachmentLogs =
        [
            Attachment(Start.AddMinutes(-50), "evil@bad.example", "a@corp.example", "malicious"),
            Attachment(Start.AddMinutes(-45), "evil@bad.example", "b@corp.example", "malicious"),
            Attachment(Start.AddMinutes(-40), "EVIL@bad.example", "c@corp.example", "malicious"),
            Attachment(Start.AddMinutes(-40), "friend@good.example", "d@corp.example", "safe"),
        ];
        Mimecast.ImpersonationLogs = [Impersonation(Start.AddMinutes(-30), "ceo@lookalike.example", "cfo@corp.example")];
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddMinutes(-20), "https://evil.example/x", "e@corp.example", scanResult: "malicious", action: "block"),
            Clicks.Record(Start.AddMinutes(-20), "https://fine.example/", "f@corp.example"),
        ];
        await using AlertsHost host = await StartHostAsync();
        ThreatFeedPoller poller = host.Services.GetRequiredService<ThreatFeedPoller>();

        JobRunResult run = await poller.RunOnceAsync(CancellationToken.None);

        run.Outcome.ShouldBe(JobRunResult.Succeeded);
        run.RecordsNew.ShouldBe(5, "safe attachments and clean clicks are dropped");
        List<AlertRecord> alerts = [.. (await host.AllAlertsAsync()).Where(a => a.Kind == AlertKinds.ThreatFeed)];
        alerts.Count.ShouldBe(3);
        AlertRecord attachment = alerts.Single(a => a.Payload.AlertType == "Unsafe Email Attachment");
        attachment.Payload.EventCount.ShouldBe(3);
        attachment.Payload.TechniqueId.ShouldBe("T1598.002");
        attachment.Payload.FirstEventAt.ShouldBe(Start.AddMinutes(-50));
        attachment.Payload.LastEventAt.ShouldBe(Start.AddMinutes(-40));
        alerts.Single(a => a.Payload.AlertType == "Impersonation Attempt").Payload.TechniqueId.ShouldBe("T1598.003");
        AlertRecord url = alerts.Single(a => a.Payload.Url is not null);
        url.Payload.AlertType.ShouldBe("Default Inbound URL Protect Definition");
        (await host.DeliveriesAsync()).Count.ShouldBe(3);

        Time.Advance(TimeSpan.FromMinutes(5));
        JobRunResult again = await poller.RunOnceAsync(CancellationToken.None);

        again.RecordsNew.ShouldBe(0, "the overlap re-reads them, their fingerprints are known");
        (await host.AllAlertsAsync()).Single(a => a.AlertId == attachment.AlertId).Payload.EventCount.ShouldBe(3);
    }

    [ProviderFact]
    public async Task EventsFromOneSenderFurtherApartThanTheBurstWindowAreSeparateAlerts()
    {
        Mimecast.AttachmentLogs =
        [
            Attachment(Start.AddMinutes(-55), "evil@bad.example", "a@corp.example", "malicious"),
            Attachment(Start.AddMinutes(-5), "evil@bad.example", "b@corp.example", "malicious"),
        ];
        await using AlertsHost host = await StartHostAsync(s => s["Alerts:BurstWindow"] = "00:30:00");

        JobRunResult run = await host.Services.GetRequiredService<ThreatFeedPoller>().RunOnceAsync(CancellationToken.None);

        run.AlertsRaised.ShouldBe(2);
    }

    [ProviderFact]
    public async Task ABurstThatGrowsAfterItsCardWasPostedUpdatesThatCardInPlaceAndPostsNothingNew()
    {
        Mimecast.AttachmentLogs = [Attachment(Start.AddMinutes(-10), "evil@bad.example", "a@corp.example", "malicious")];
        await using FakeTeamsConnector teams = await FakeTeamsConnector.StartAsync();
        await using AlertsHost host = await AlertsHost.StartAsync(Folder, Time, Mimecast, channel: null, storage: Database, teams: teams);
        ThreatFeedPoller poller = host.Services.GetRequiredService<ThreatFeedPoller>();
        await poller.RunOnceAsync(CancellationToken.None);
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        ConnectorPost posted = teams.Posts.ShouldHaveSingleItem();
        posted.ShownText.ShouldNotContain("3 (");

        // Two more from the same sender within the burst window fold into the alert that is already in the channel.
        Time.Advance(TimeSpan.FromMinutes(5));
        Mimecast.AttachmentLogs.Add(Attachment(Time.GetUtcNow().AddMinutes(-2), "evil@bad.example", "b@corp.example", "malicious"));
        Mimecast.AttachmentLogs.Add(Attachment(Time.GetUtcNow().AddMinutes(-1), "evil@bad.example", "c@corp.example", "malicious"));
        await poller.RunOnceAsync(CancellationToken.None);
        teams.FailNext(503);
        Time.Advance(TimeSpan.FromSeconds(1));

        DeliveryRunResult refused = await host.Delivery.DeliverDueAsync(CancellationToken.None);
        DeliveryRunResult retried = await host.Delivery.DeliverDueAsync(CancellationToken.None);
        DeliveryRunResult settled = await host.Delivery.DeliverDueAsync(CancellationToken.None);

        refused.Refreshed.ShouldBe(0, "the Connector refused the first update; the card is still stale");
        retried.Refreshed.ShouldBe(1);
        settled.Refreshed.ShouldBe(0);
        teams.Posts.ShouldHaveSingleItem();
        ConnectorPost updated = teams.Updates.ShouldHaveSingleItem();
        updated.ActivityId.ShouldBe(posted.ActivityId);
        updated.ConversationId.ShouldBe(posted.ConversationId);
        updated.ShownText.ShouldContain("3 (2026-11-02 08:50:00 UTC to 2026-11-02 09:04:00 UTC)");
        updated.ButtonTitles.ShouldContain("Acknowledge");
        (await host.AllAlertsAsync()).Single().Payload.EventCount.ShouldBe(3);
    }

    [ProviderFact]
    public async Task OneFailingLogDoesNotHoldBackTheOthers()
    {
        Mimecast.ImpersonationLogs = [Impersonation(Start.AddMinutes(-30), "ceo@lookalike.example", "cfo@corp.example")];
        Mimecast.EnqueueFault("/api/ttp/attachment/get-logs", FakeFault.MimecastForbidden());
        await using AlertsHost host = await StartHostAsync();

        JobRunResult run = await host.Services.GetRequiredService<ThreatFeedPoller>().RunOnceAsync(CancellationToken.None);

        run.Outcome.ShouldBe(JobRunResult.Failed);
        run.Error.ShouldNotBeNull().ShouldStartWith("attachment logs:");
        run.AlertsRaised.ShouldBe(1);
    }

    private Task<AlertsHost> StartHostAsync(Action<Dictionary<string, string?>>? adjust = null) =>
        StartAlertsHostAsync(adjust, new FakeAlertChannel());

    private static JsonObject Attachment(DateTimeOffset at, string sender, string recipient, string result) => new()
    {
        ["senderAddress"] = sender,
        ["recipientAddress"] = recipient,
        ["fileName"] = "invoice.xlsm",
        ["fileType"] = "application/vnd.ms-excel.sheet.macroEnabled.12",
        ["result"] = result,
        ["actionTriggered"] = "none",
        ["date"] = Date(at),
        ["details"] = result == "safe" ? "Safe" : "Malicious",
        ["route"] = "inbound",
        ["messageId"] = $"<{Guid.NewGuid():N}@bad.example>",
        ["subject"] = "Invoice",
        ["fileHash"] = "168dde02cf41aed3bf31ad831b75d8ee0b738304baa6957c40e29b2487f15116",
        ["definition"] = "Default Inbound Attachment Protect Definition",
    };

    private static JsonObject Impersonation(DateTimeOffset at, string sender, string recipient) => new()
    {
        ["id"] = "MTOKEN:" + Guid.NewGuid().ToString("N"),
        ["senderAddress"] = sender,
        ["recipientAddress"] = recipient,
        ["subject"] = "Urgent wire",
        ["definition"] = "IP - 2 hits (Hold for Review / User Hold)",
        ["hits"] = 2,
        ["identifiers"] = new JsonArray("internal_user_name", "newly_observed_domain"),
        ["action"] = "hold",
        ["taggedExternal"] = true,
        ["taggedMalicious"] = true,
        ["senderIpAddress"] = "203.0.113.7",
        ["eventTime"] = Date(at),
        ["impersonationResults"] = new JsonArray(),
        ["messageId"] = $"<{Guid.NewGuid():N}@lookalike.example>",
    };

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000";
}

public abstract class UrlRecheckTests : ProviderAlertTests
{
    private FakeVirusTotalServer _virusTotal = null!;

    protected override async Task StartFakesAsync() => _virusTotal = await FakeVirusTotalServer.StartAsync();

    protected override async Task StopFakesAsync() => await _virusTotal.DisposeAsync();

    [ProviderFact]
    public async Task AnAllowedUrlVirusTotalNowCallsMaliciousRaisesTheAlertFoundByRecheck()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddDays(-2), "https://turned.example/a", "alice@corp.example"),
            Clicks.Record(Start.AddDays(-1), "https://turned.example/a", "bob@corp.example"),
            Clicks.Record(Start.AddDays(-1), "https://fine.example/", "carol@corp.example"),
        ];
        _virusTotal.AddUrl("https://turned.example/a", malicious: 9);
        _virusTotal.AddUrl("https://fine.example/", malicious: 0);
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        JobRunResult run = await host.Services.GetRequiredService<UrlRecheck>().RunOnceAsync(CancellationToken.None);

        run.AlertsRaised.ShouldBe(1);
        AlertRecord alert = (await host.AllAlertsAsync()).ShouldHaveSingleItem();
        alert.Payload.DetectedBy.ShouldContain("found by re-check");
        alert.Payload.DetectionDetail.ShouldNotBeNull().ShouldContain("9/");
        alert.Payload.Exposed.Select(e => e.User).ShouldBe(["bob@corp.example", "alice@corp.example"]);
        _virusTotal.Violations.ShouldBeEmpty();

        JobRunResult second = await host.Services.GetRequiredService<UrlRecheck>().RunOnceAsync(CancellationToken.None);
        second.AlertsRaised.ShouldBe(0, "the same URL folds into its alert");
        (await host.AllAlertsAsync()).ShouldHaveSingleItem();
    }

    private Task<AlertsHost> StartHostAsync() =>
        AlertsHost.StartAsync(Folder, Time, Mimecast, new FakeAlertChannel(), s =>
        {
            s["VirusTotal:BaseUrl"] = _virusTotal.BaseUrl.ToString();
            s["VirusTotal:ApiKey"] = FakeVirusTotalServer.ApiKey;
            s["VirusTotal:AllowHttpOnLoopbackForTesting"] = "true";
            s["VirusTotal:RequestsPerMinute"] = "1000";
        },
        storage: Database);
}

public sealed class SqliteThreatFeedTests : ThreatFeedTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresThreatFeedTests : ThreatFeedTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}

public sealed class SqliteUrlRecheckTests : UrlRecheckTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresUrlRecheckTests : UrlRecheckTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
