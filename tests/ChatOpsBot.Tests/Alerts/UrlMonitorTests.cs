using System.Text.Json.Nodes;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Storage;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Storage;

namespace ChatOpsBot.Tests.Alerts;

public abstract class UrlMonitorTests : ProviderAlertTests
{
    private FakeTeamsConnector _teams = null!;

    protected override async Task StartFakesAsync() => _teams = await FakeTeamsConnector.StartAsync();

    protected override async Task StopFakesAsync() => await _teams.DisposeAsync();

    [ProviderFact]
    public async Task AllowedClicksFollowedByAMaliciousClickRaiseOneAlertListingTheEarlierClickers()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddDays(-3), "https://evil.example/login?utm_source=mail&id=7", "alice@corp.example", sender: "billing@evil.example", subject: "Invoice 42"),
            Clicks.Record(Start.AddDays(-2), "HTTPS://Evil.Example:443/login/?id=7", "bob@corp.example", sender: "billing@evil.example", subject: "Invoice 43"),
            Clicks.Record(Start.AddDays(-2), "https://other.example/", "carol@corp.example"),
            Clicks.Record(Start.AddDays(-2), "https://evil.example/login?id=7", "dave@corp.example", creationMethod: "Entry Scan"),
            Clicks.Record(Start.AddDays(-1), "https://evil.example/login?id=7", "frank@corp.example", action: "warn"),
            Clicks.Record(Start.AddDays(-40), "https://evil.example/login?id=7", "old@corp.example"),
            Clicks.Record(Start.AddMinutes(-10), "https://evil.example/login?id=7", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        await using AlertsHost host = await StartHostAsync();

        JobRunResult run = await host.Monitor.RunOnceAsync(CancellationToken.None);

        run.Outcome.ShouldBe(JobRunResult.Succeeded);
        run.AlertsRaised.ShouldBe(1);
        AlertRecord alert = (await host.AllAlertsAsync()).ShouldHaveSingleItem();
        alert.Kind.ShouldBe(AlertKinds.ClickedUrlMalicious);
        alert.Payload.Exposed.Select(e => e.User).ShouldBe(["bob@corp.example", "alice@corp.example"]);
        alert.Payload.ExposedTotal.ShouldBe(2);
        alert.Payload.Exposed[0].Sender.ShouldBe("billing@evil.example");
        alert.Payload.Exposed[0].Subject.ShouldBe("Invoice 43");
        alert.Payload.Exposed[0].ClickedAt.ShouldBe(Start.AddDays(-2));
        alert.Payload.Exposed[0].Url.ShouldBe("HTTPS://Evil.Example:443/login/?id=7");
        alert.Payload.TechniqueId.ShouldBe("T1598.003");
        (await host.DeliveriesAsync()).ShouldHaveSingleItem().Target.ShouldBe(AlertsHost.TeamsTarget);

        ConnectorPost post = await DeliverOnePostAsync(host);
        post.ShownText.ShouldContain("bob@corp[.]example from billing@evil[.]example, \u201CInvoice 43\u201D");
        post.ShownText.ShouldContain("alice@corp[.]example from billing@evil[.]example, \u201CInvoice 42\u201D");
        post.ShownText.ShouldContain("Exposed: 2 earlier click(s)");
        foreach (string notExposed in new[] { "carol@", "dave@", "frank@", "old@" })
        {
            post.ShownText.ShouldNotContain(notExposed);
        }

        Time.Advance(TimeSpan.FromHours(1));
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        _teams.Posts.Count.ShouldBe(1);
    }

    [ProviderFact]
    public async Task SeveralUrlsTurningMaliciousInOneRunEachRaiseTheirOwnAlertForEveryTarget()
    {
        // One run raises these alerts through one set of statements and one look-up of the targets: each alert must
        // still get its own clickers and one outbox row per target.
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddDays(-3), "https://one.example/a", "alice@corp.example", sender: "x@one.example", subject: "One"),
            Clicks.Record(Start.AddDays(-2), "https://two.example/b", "bob@corp.example", sender: "y@two.example", subject: "Two"),
            Clicks.Record(Start.AddDays(-1), "https://two.example/b", "carol@corp.example", sender: "y@two.example", subject: "Two again"),
            Clicks.Record(Start.AddDays(-1), "https://three.example/c", "dave@corp.example"),
            Clicks.Record(Start.AddMinutes(-9), "https://one.example/a", "erin@corp.example", scanResult: "malicious", action: "block"),
            Clicks.Record(Start.AddMinutes(-8), "https://two.example/b", "erin@corp.example", scanResult: "malicious", action: "block"),
            Clicks.Record(Start.AddMinutes(-7), "https://four.example/d", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        await using AlertsHost host = await StartHostAsync(s => s["Alerts:Targets:1"] = "mail:soc@corp.example");

        JobRunResult run = await host.Monitor.RunOnceAsync(CancellationToken.None);

        run.AlertsRaised.ShouldBe(2);
        List<AlertRecord> alerts = await host.AllAlertsAsync();
        alerts.Select(a => (a.Payload.Url, string.Join(",", a.Payload.Exposed.Select(e => e.User + "/" + e.Subject)), a.Payload.ExposedTotal))
            .OrderBy(a => a.Url, StringComparer.Ordinal)
            .ShouldBe([
                ("https://one.example/a", "alice@corp.example/One", 1),
                ("https://two.example/b", "carol@corp.example/Two again,bob@corp.example/Two", 2),
            ]);
        List<AlertDelivery> deliveries = await host.DeliveriesAsync();
        foreach (AlertRecord alert in alerts)
        {
            string[] targets = [.. deliveries.Where(d => d.AlertId == alert.AlertId).Select(d => d.Target).Order(StringComparer.Ordinal)];
            targets.ShouldBe([AlertsHost.TeamsTarget, "mail:soc@corp.example"], $"outbox rows of {alert.Payload.Url}");
        }

        deliveries.Count.ShouldBe(4);
    }

    [ProviderFact]
    public async Task RunningAgainOverTheSameRecordsRaisesAndCountsNothingNew()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddHours(-5), "https://evil.example/a", "alice@corp.example"),
            Clicks.Record(Start.AddMinutes(-5), "https://evil.example/a", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(20));

        JobRunResult second = await host.Monitor.RunOnceAsync(CancellationToken.None);

        second.RecordsRead.ShouldBe(1, "the overlap window re-reads the malicious click");
        second.RecordsNew.ShouldBe(0);
        second.AlertsRaised.ShouldBe(0);
        AlertRecord alert = (await host.AllAlertsAsync()).ShouldHaveSingleItem();
        alert.SuppressedRepeats.ShouldBe(0);
        (await host.ScalarAsync("SELECT COUNT(*) FROM url_clicks")).ShouldBe(2);
        (await host.Alerts.GetStatusAsync(CancellationToken.None)).Jobs.Single(j => j.JobName == JobNames.UrlMonitor).RecordsIngested.ShouldBe(2);
    }

    [ProviderFact]
    public async Task AllowedClickAndMaliciousClickSeparatedByARestartStillRaiseOneAlertWithThePeople()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddDays(-6), "https://evil.example/doc", "alice@corp.example"),
            Clicks.Record(Start.AddMinutes(-30), "https://evil.example/doc", "bob@corp.example"),
        ];
        await using (AlertsHost first = await StartHostAsync())
        {
            (await first.Monitor.RunOnceAsync(CancellationToken.None)).AlertsRaised.ShouldBe(0);
        }

        Time.Advance(TimeSpan.FromMinutes(20));
        Mimecast.ClickLogs.Add(Clicks.Record(Time.GetUtcNow().AddMinutes(-2), "https://evil.example/doc", "erin@corp.example", scanResult: "malicious", action: "block"));
        Time.Advance(TimeSpan.FromMinutes(1));
        await using AlertsHost second = await StartHostAsync();

        JobRunResult run = await second.Monitor.RunOnceAsync(CancellationToken.None);

        run.AlertsRaised.ShouldBe(1);
        AlertRecord alert = (await second.AllAlertsAsync()).ShouldHaveSingleItem();
        alert.Payload.Exposed.Select(e => e.User).ShouldBe(["bob@corp.example", "alice@corp.example"]);
        (await second.ScalarAsync("SELECT COUNT(*) FROM url_clicks")).ShouldBe(3);
        (await second.ScalarAsync("SELECT records_ingested FROM job_checkpoints WHERE job_name = 'url-monitor'")).ShouldBe(3);
        ConnectorPost post = await DeliverOnePostAsync(second);
        post.ShownText.ShouldContain("bob@corp[.]example");
        post.ShownText.ShouldContain("alice@corp[.]example");
    }

    [ProviderFact]
    public async Task AnAllowedClickThatArrivesLateJoinsTheAlertOfItsUrl()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddHours(-2), "https://evil.example/x", "alice@corp.example"),
            Clicks.Record(Start.AddMinutes(-5), "https://evil.example/x", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(20));

        // Mimecast's log shows bob's earlier click only now; it is still inside the overlap window.
        Mimecast.ClickLogs.Add(Clicks.Record(Start.AddMinutes(-8), "https://evil.example/x", "bob@corp.example"));
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        AlertRecord alert = (await host.AllAlertsAsync()).ShouldHaveSingleItem();
        alert.Payload.Exposed.Select(e => e.User).ShouldBe(["bob@corp.example", "alice@corp.example"]);
        (await host.DeliveriesAsync()).Count.ShouldBe(1, "the alert is not posted a second time");
    }

    [ProviderFact]
    public async Task AMaliciousClickWithNoEarlierAllowedClickRaisesNothing()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddMinutes(-5), "https://evil.example/x", "erin@corp.example", scanResult: "malicious", action: "block"),
            Clicks.Record(Start.AddMinutes(-4), "https://evil.example/x", "frank@corp.example"),
        ];
        await using AlertsHost host = await StartHostAsync();

        (await host.Monitor.RunOnceAsync(CancellationToken.None)).AlertsRaised.ShouldBe(0);
        (await host.AllAlertsAsync()).ShouldBeEmpty();
    }

    [ProviderFact]
    public async Task RegistrableDomainModeMatchesOtherPathsOfTheSameSite()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddDays(-1), "https://files.evil.example/a", "alice@corp.example"),
            Clicks.Record(Start.AddDays(-1), "https://evil.example.org/a", "carol@corp.example"),
            Clicks.Record(Start.AddMinutes(-5), "https://www.evil.example/b", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        await using AlertsHost exactHost = await StartHostAsync();
        (await exactHost.Monitor.RunOnceAsync(CancellationToken.None)).AlertsRaised.ShouldBe(0, "off by default");
        await exactHost.DisposeAsync();
        await Database.ResetAsync();

        await using AlertsHost domainHost = await StartHostAsync(s => s["Monitor:MatchByRegistrableDomain"] = "true");
        (await domainHost.Monitor.RunOnceAsync(CancellationToken.None)).AlertsRaised.ShouldBe(1);
        (await domainHost.AllAlertsAsync()).ShouldHaveSingleItem().Payload.Exposed.ShouldHaveSingleItem().User.ShouldBe("alice@corp.example");
    }

    [ProviderFact]
    public async Task RateLimitedByMimecastTheRunWaitsAndLosesNothing()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddDays(-1), "https://evil.example/r", "alice@corp.example"),
            Clicks.Record(Start.AddMinutes(-5), "https://evil.example/r", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        Mimecast.EnqueueFault("/api/ttp/url/get-logs", FakeFault.MimecastRateLimited(2000));
        Mimecast.EmptyLastPageCarriesNext = false;
        await using AlertsHost host = await StartHostAsync(s =>
        {
            s["Monitor:AllowedClickWindowDays"] = "7";
            s["Monitor:QueryChunk"] = "7.00:00:00";
        });

        JobRunResult run = await Clicks.WithClockRunningAsync(Time, () => host.Monitor.RunOnceAsync(CancellationToken.None));

        run.Outcome.ShouldBe(JobRunResult.Succeeded);
        run.AlertsRaised.ShouldBe(1);
        Mimecast.RequestsTo("/api/ttp/url/get-logs").Count.ShouldBe(2, "the 429'd query was sent again after the reset time");
        (await host.ScalarAsync("SELECT COUNT(*) FROM url_clicks")).ShouldBe(2);
        (await DeliverOnePostAsync(host)).ShownText.ShouldContain("alice@corp[.]example");
    }

    [ProviderFact]
    public async Task RateLimitedBeyondTheRetriesTheRunFailsAndTheNextRunPicksEverythingUp()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddDays(-1), "https://evil.example/r", "alice@corp.example"),
            Clicks.Record(Start.AddMinutes(-5), "https://evil.example/r", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        for (int i = 0; i < 4; i++)
        {
            Mimecast.EnqueueFault("/api/ttp/url/get-logs", FakeFault.MimecastRateLimited(1000));
        }

        await using AlertsHost host = await StartHostAsync(s =>
        {
            s["Monitor:AllowedClickWindowDays"] = "7";
            s["Monitor:QueryChunk"] = "7.00:00:00";
            s["Mimecast:MaxRetries"] = "3";
        });

        JobRunResult failed = await Clicks.WithClockRunningAsync(Time, () => host.Monitor.RunOnceAsync(CancellationToken.None));

        failed.Outcome.ShouldBe(JobRunResult.Failed);
        (await host.ScalarAsync("SELECT COUNT(*) FROM url_clicks")).ShouldBe(0);
        MonitorStatus status = await host.Alerts.GetStatusAsync(CancellationToken.None);
        JobStatus job = status.Jobs.Single(j => j.JobName == JobNames.UrlMonitor);
        job.LastOutcome.ShouldBe(JobRunResult.Failed);
        job.LastError.ShouldNotBeNull().ShouldContain("429");

        Time.Advance(TimeSpan.FromMinutes(20));
        JobRunResult next = await Clicks.WithClockRunningAsync(Time, () => host.Monitor.RunOnceAsync(CancellationToken.None));

        next.Outcome.ShouldBe(JobRunResult.Succeeded);
        next.AlertsRaised.ShouldBe(1);
        (await host.AllAlertsAsync()).ShouldHaveSingleItem().Payload.Exposed.ShouldHaveSingleItem().User.ShouldBe("alice@corp.example");
        (await DeliverOnePostAsync(host)).ShownText.ShouldContain("alice@corp[.]example");
    }

    [ProviderFact]
    public async Task TheFirstRunReadsTheWindowInChunksAndNeverBeforeIt()
    {
        Mimecast.ClickLogs = [Clicks.Record(Start.AddDays(-1), "https://a.example/", "alice@corp.example")];
        await using AlertsHost host = await StartHostAsync(s =>
        {
            s["Monitor:AllowedClickWindowDays"] = "3";
            s["Monitor:QueryChunk"] = "1.00:00:00";
        });

        await host.Monitor.RunOnceAsync(CancellationToken.None);

        IReadOnlyList<FakeRequest> queries = Mimecast.RequestsTo("/api/ttp/url/get-logs");
        List<string?> froms = [.. queries.Select(q => JsonNode.Parse(q.Body)!["data"]![0]!["from"]!.GetValue<string>()).Distinct()];
        froms.ShouldBe(["2026-10-30T09:00:00+0000", "2026-10-31T09:00:00+0000", "2026-11-01T09:00:00+0000"]);
    }

    [ProviderFact]
    public async Task AChunkThatCannotBeWrittenStopsTheRunAndTheChunkReadAheadIsNotWrittenUntilTheNextRun()
    {
        // The monitor reads the next chunk while it writes the current one; a write that fails must not let the chunk
        // read ahead reach the database, and the next run resumes after the last committed chunk.
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddHours(-60), "https://first.example/", "alice@corp.example"),
            Clicks.Record(Start.AddHours(-36), "https://boom.example/", "bob@corp.example"),
            Clicks.Record(Start.AddHours(-12), "https://third.example/", "carol@corp.example"),
        ];
        await using AlertsHost host = await StartHostAsync(s =>
        {
            s["Monitor:AllowedClickWindowDays"] = "3";
            s["Monitor:QueryChunk"] = "1.00:00:00";
        });
        await host.ScalarAsync(Provider == StorageProvider.Sqlite
            ? "CREATE TRIGGER test_refuse_boom BEFORE INSERT ON url_clicks WHEN NEW.url = 'https://boom.example/' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            : """
              CREATE FUNCTION test_refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.url = 'https://boom.example/' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER test_refuse_boom BEFORE INSERT ON url_clicks FOR EACH ROW EXECUTE FUNCTION test_refuse_boom();
              """);

        Exception failure = await Should.ThrowAsync<Exception>(() => host.Monitor.RunOnceAsync(CancellationToken.None));

        failure.ShouldBeAssignableTo<System.Data.Common.DbException>();
        (await host.ScalarAsync("SELECT COUNT(*) FROM url_clicks")).ShouldBe(1, "only the first chunk committed");
        JobStatus failed = (await host.Alerts.GetStatusAsync(CancellationToken.None)).Jobs.Single(j => j.JobName == JobNames.UrlMonitor);
        failed.LastOutcome.ShouldBe(JobRunResult.Failed);
        failed.LastError!.ShouldStartWith("database error");

        await host.ScalarAsync(Provider == StorageProvider.Sqlite ? "DROP TRIGGER test_refuse_boom" : "DROP TRIGGER test_refuse_boom ON url_clicks");
        JobRunResult next = await host.Monitor.RunOnceAsync(CancellationToken.None);

        next.Outcome.ShouldBe(JobRunResult.Succeeded);
        next.RecordsNew.ShouldBe(2);
        (await host.ScalarAsync("SELECT COUNT(*) FROM url_clicks")).ShouldBe(3);
    }

    [ProviderFact]
    public async Task WhenTheFailedRunCannotBeRecordedEitherTheFirstDatabaseErrorIsTheOneRaised()
    {
        Mimecast.ClickLogs = [Clicks.Record(Start.AddHours(-2), "https://boom.example/", "bob@corp.example")];
        await using AlertsHost host = await StartHostAsync();
        await host.ScalarAsync(Provider == StorageProvider.Sqlite
            ? """
              CREATE TRIGGER test_refuse_boom BEFORE INSERT ON url_clicks WHEN NEW.url = 'https://boom.example/' BEGIN SELECT RAISE(ABORT, 'click refused by the test'); END;
              CREATE TRIGGER test_refuse_outcome BEFORE UPDATE ON job_checkpoints WHEN NEW.last_run_outcome = 'failed' BEGIN SELECT RAISE(ABORT, 'outcome refused by the test'); END;
              """
            : """
              CREATE FUNCTION test_refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.url = 'https://boom.example/' THEN RAISE EXCEPTION 'click refused by the test'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER test_refuse_boom BEFORE INSERT ON url_clicks FOR EACH ROW EXECUTE FUNCTION test_refuse_boom();
              CREATE FUNCTION test_refuse_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.last_run_outcome = 'failed' THEN RAISE EXCEPTION 'outcome refused by the test'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER test_refuse_outcome BEFORE UPDATE ON job_checkpoints FOR EACH ROW EXECUTE FUNCTION test_refuse_outcome();
              """);

        Exception failure = await Should.ThrowAsync<Exception>(() => host.Monitor.RunOnceAsync(CancellationToken.None));

        failure.ShouldBeAssignableTo<System.Data.Common.DbException>();
        failure.Message.ShouldContain("click refused by the test");
        JobStatus status = (await host.Alerts.GetStatusAsync(CancellationToken.None)).Jobs.Single(j => j.JobName == JobNames.UrlMonitor);
        status.LastOutcome.ShouldNotBe(JobRunResult.Failed, "recording the failure was refused too");
    }

    [ProviderFact]
    public async Task AnotherMaliciousClickOnAnAcknowledgedUrlIsCountedNotPosted()
    {
        Mimecast.ClickLogs =
        [
            Clicks.Record(Start.AddDays(-1), "https://evil.example/r", "alice@corp.example"),
            Clicks.Record(Start.AddMinutes(-5), "https://evil.example/r", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        await using AlertsHost host = await StartHostAsync();
        await host.Monitor.RunOnceAsync(CancellationToken.None);
        string alertId = (await host.AllAlertsAsync()).Single().AlertId;
        AlertActionResult ack = await host.Alerts.AcknowledgeAsync(alertId, new AlertActor("aad-object-1", "Sam Analyst"), CancellationToken.None);
        ack.Outcome.ShouldBe(AlertActionOutcome.Done);

        Time.Advance(TimeSpan.FromMinutes(20));
        Mimecast.ClickLogs.Add(Clicks.Record(Time.GetUtcNow().AddMinutes(-1), "https://evil.example/r", "gina@corp.example", scanResult: "malicious", action: "block"));
        await host.Monitor.RunOnceAsync(CancellationToken.None);

        AlertRecord alert = (await host.AllAlertsAsync()).ShouldHaveSingleItem();
        alert.SuppressedRepeats.ShouldBe(1);
        alert.Status.ShouldBe(AlertStatuses.Acknowledged);
        alert.AcknowledgedBy.ShouldBe(new AlertActor("aad-object-1", "Sam Analyst"));
        alert.AcknowledgedAt.ShouldBe(Start);
        (await host.DeliveriesAsync()).Count.ShouldBe(1);
    }

    private Task<AlertsHost> StartHostAsync(Action<Dictionary<string, string?>>? adjust = null) =>
        StartAlertsHostAsync(adjust, teams: _teams);

    /// <summary>Runs the outbox and returns the one alert card the SOC channel received (failing if it got another number).</summary>
    private async Task<ConnectorPost> DeliverOnePostAsync(AlertsHost host)
    {
        await host.Delivery.DeliverDueAsync(CancellationToken.None);
        ConnectorPost post = _teams.Posts.ShouldHaveSingleItem();
        post.ConversationId.ShouldBe("19:soc-alerts@thread.tacv2");
        return post;
    }
}

public sealed class SqliteUrlMonitorTests : UrlMonitorTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresUrlMonitorTests : UrlMonitorTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
