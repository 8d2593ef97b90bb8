using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Teams.Support;
using ChatOpsBot.TestSupport;
using Xunit.Abstractions;

namespace ChatOpsBot.Tests.Cluster;

/// <summary>The cluster tests run one at a time: each starts bot processes, and two sets at once would starve a small CI machine.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterProcesses
{
    public const string Name = "Two bot processes on one PostgreSQL";
}

/// <summary>Two bot instances, as separate processes, running side by side on one PostgreSQL database.</summary>
public sealed class TwoRunningInstances : IAsyncLifetime
{
    /// <summary>Every two seconds, so ten runs take about twenty.</summary>
    public const string MonitorSchedule = "0/2 * * * * ?";

    internal ClusterEnvironment Cluster { get; private set; } = null!;

    internal DateTimeOffset Started { get; private set; }

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.SkipReason is not null)
        {
            return;
        }

        Cluster = await ClusterEnvironment.StartAsync();
        Started = DateTimeOffset.UtcNow;
        Cluster.Mimecast.ClickLogs = [Clicks.Record(Started.AddHours(-2), "https://evil.example/landing?id=7", "alice@corp.example")];

        // A generous misfire threshold: on a busy machine a live node must never be mistaken for a dead one here (this
        // fixture proves one-run-per-firing, not recovery; ClusterRecoveryTests does that with short timings).
        await Cluster.StartInstancesAsync(
            Cluster.Settings(MonitorSchedule, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20)),
            "instance-a", "instance-b");
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

[Collection(ClusterProcesses.Name)]
public sealed class TwoInstanceClusterTests(TwoRunningInstances fixture, ITestOutputHelper output) : IClassFixture<TwoRunningInstances>
{
    private const int RequiredRuns = 10;

    private ClusterEnvironment Cluster => fixture.Cluster;

    [PostgresFact]
    public async Task Each_monitor_firing_runs_on_exactly_one_instance_and_an_allowed_then_malicious_click_is_alerted_once()
    {
        // Some runs with only the allowed click, then Mimecast reports a malicious click of the same URL, which every later
        // run reads again (the overlap window) on whichever instance fires.
        await Cluster.WaitUntilAsync(() => DistinctFirings() >= RequiredRuns / 2, $"{RequiredRuns / 2} monitor runs", TimeSpan.FromSeconds(90));
        Cluster.Mimecast.ClickLogs =
        [
            .. Cluster.Mimecast.ClickLogs,
            Clicks.Record(DateTimeOffset.UtcNow.AddMinutes(-1), "https://evil.example/landing?id=7", "bob@corp.example", scanResult: "malicious", action: "block"),
        ];
        await Cluster.WaitUntilAsync(() => !Cluster.Smtp.Messages.IsEmpty, "the alert mail", TimeSpan.FromSeconds(90));
        await Cluster.WaitUntilAsync(
            async () => await Cluster.ScalarAsync("SELECT COUNT(*) FROM alert_deliveries WHERE status = 'sent'") > 0, "the delivery recorded as sent", TimeSpan.FromSeconds(30));
        int firingsAtMail = DistinctFirings();
        await Cluster.WaitUntilAsync(
            () => DistinctFirings() >= Math.Max(RequiredRuns + 2, firingsAtMail + 3), "more monitor runs after the alert", TimeSpan.FromSeconds(90));

        IReadOnlyList<MonitorRun> runs = Cluster.MonitorRuns();
        foreach (IGrouping<string, MonitorRun> instance in runs.GroupBy(r => r.Instance))
        {
            output.WriteLine($"{instance.Key} (node {instance.First().NodeId}): {instance.Count()} runs");
        }

        // Both instances are live nodes of one Quartz cluster (whichever of them wins each firing).
        (await Cluster.ScalarAsync("SELECT COUNT(*) FROM qrtz_scheduler_state")).ShouldBe(2);
        runs.ShouldNotContain(r => r.Recovering, "no instance died, so nothing was recovered");
        runs.Select(r => r.NodeId).Distinct().Count().ShouldBeLessThanOrEqualTo(2);
        runs.GroupBy(r => r.Instance).ShouldAllBe(g => g.Select(r => r.NodeId).Distinct().Count() == 1);
        runs.GroupBy(r => r.ScheduledFireTime).Where(g => g.Count() > 1).Select(g => $"{g.Key:O} ran on {string.Join(", ", g.Select(r => r.Instance))}")
            .ShouldBeEmpty("each firing runs on exactly one instance\n" + string.Join("\n", Cluster.Instances.SelectMany(i => i.Lines
                .Where(l => l.Contains("Scheduler", StringComparison.Ordinal) || l.Contains("Quartz", StringComparison.Ordinal)).Select(l => $"{i.Name}: {l}"))));

        // And no firing was skipped between the first and the last seen: every two seconds, each exactly once.
        DateTimeOffset[] firings = [.. runs.Select(r => r.ScheduledFireTime).Order()];
        firings.Length.ShouldBeGreaterThanOrEqualTo(RequiredRuns);
        for (int i = 1; i < firings.Length; i++)
        {
            (firings[i] - firings[i - 1]).ShouldBe(TimeSpan.FromSeconds(2), $"firings {firings[i - 1]:O} and {firings[i]:O}");
        }

        // Quartz's row locks and the stores' advisory write lock met on every run: no deadlock, no lock timeout, no error.
        Cluster.Instances.SelectMany(i => i.Lines.Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.Contains("deadlock", StringComparison.OrdinalIgnoreCase)))
            .ShouldBeEmpty(Cluster.DescribeInstances());
        Cluster.Smtp.Messages.Count.ShouldBe(1, Cluster.DescribeInstances());
        Cluster.Smtp.Messages.Single().Data.ShouldContain("X-ChatOpsBot-Alert-Id: ");
        Cluster.Smtp.Messages.Single().Recipients.ShouldBe([$"<{ClusterEnvironment.AlertRecipient}>"]);
        (await Cluster.ScalarAsync("SELECT COUNT(*) FROM alerts")).ShouldBe(1);
        (await Cluster.ScalarAsync("SELECT COUNT(*) FROM alert_deliveries WHERE status = 'sent'")).ShouldBe(1);
        (await Cluster.ScalarAsync("SELECT COUNT(*) FROM alert_deliveries")).ShouldBe(1);
    }

    [PostgresFact]
    public async Task The_same_teams_activity_delivered_to_both_instances_is_processed_once()
    {
        var activities = new TeamsActivities(Cluster.Connector.ServiceUrl);
        JsonObject activity = activities.Message("whoami");
        string body = activity.ToJsonString();
        long auditBefore = await Cluster.ScalarAsync("SELECT COUNT(*) FROM audit_log");
        int repliesBefore = Cluster.Connector.Calls.Count(c => !c.IsTyping);

        HttpStatusCode[] statuses = await Task.WhenAll(Cluster.Instances.Select(async instance =>
        {
            using var client = new HttpClient { BaseAddress = instance.BaseUrl };
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await client.PostAsync(new Uri("api/messages", UriKind.Relative), content);
            return response.StatusCode;
        }));

        statuses.ShouldAllBe(s => (int)s >= 200 && (int)s < 300);
        // One instance took the turn; the other said so in its log (decided in the request, before it answered; the
        // line reaches us through the child's stdout pipe, which may trail the HTTP answer, so it is waited for).
        string duplicateLine = $"Activity {activity["id"]} (message) was already delivered";
        int InstancesThatSawADuplicate() => Cluster.Instances.Count(i => i.Lines.Any(l => l.Contains(duplicateLine, StringComparison.Ordinal)));
        await Cluster.WaitUntilAsync(() => InstancesThatSawADuplicate() > 0, "the duplicate's log line", TimeSpan.FromSeconds(30));
        InstancesThatSawADuplicate().ShouldBe(1, Cluster.DescribeInstances());
        await Cluster.WaitUntilAsync(
            async () => await Cluster.ScalarAsync("SELECT COUNT(*) FROM audit_log") > auditBefore, "the audit entry of the turn", TimeSpan.FromSeconds(60));
        await Cluster.Connector.WaitForAsync(c => !c.IsTyping && c.Path.Contains("/v3/conversations/", StringComparison.Ordinal), "the reply");

        (await Cluster.ScalarAsync("SELECT COUNT(*) FROM audit_log")).ShouldBe(auditBefore + 1);
        Cluster.Connector.Calls.Count(c => !c.IsTyping).ShouldBe(repliesBefore + 1);
        (await Cluster.ScalarAsync("SELECT COUNT(*) FROM inbound_deliveries WHERE source = 'botframework'")).ShouldBe(1);
    }

    [PostgresFact]
    public async Task A_confirmation_asked_on_one_instance_is_confirmed_on_the_other_and_runs_once()
    {
        var activities = new TeamsActivities(Cluster.Connector.ServiceUrl);
        BotProcess asking = Cluster.Instances[0];
        BotProcess confirming = Cluster.Instances[1];
        const string AddGroupMember = "/api/directory/add-group-member";

        JsonObject ask = activities.Message("block sender invoices@evil.example");
        (await ClusterEnvironment.PostActivityAsync(asking, ask)).ShouldBe(HttpStatusCode.OK);
        ConnectorCall confirmation = await Cluster.Connector.WaitForAsync(
            c => !c.IsTyping && c.TargetActivityId == ask["id"]!.GetValue<string>(), "the answer to block sender");
        JsonObject confirm = FindSubmitData(JsonNode.Parse(confirmation.CardJson)!, "confirm").ShouldNotBeNull(confirmation.CardJson);
        Cluster.Mimecast.RequestsTo(AddGroupMember).ShouldBeEmpty("nothing happens before Confirm");

        // Confirm is pressed; the load balancer hands the click to the other instance.
        (await ClusterEnvironment.PostActivityAsync(confirming, activities.Submit(confirm.DeepClone().AsObject(), confirmation.CreatedId))).ShouldBe(HttpStatusCode.OK);
        await Cluster.WaitUntilAsync(() => Cluster.Mimecast.RequestsTo(AddGroupMember).Count >= 1, "the block at Mimecast", TimeSpan.FromSeconds(60));
        // The result replaces the confirmation card in place.
        await Cluster.Connector.WaitForAsync(c => c.Method == "PUT" && c.TargetActivityId == confirmation.CreatedId, "the block's result card");

        // A second press (a double click reaching the first instance) finds nothing to confirm.
        (await ClusterEnvironment.PostActivityAsync(asking, activities.Submit(confirm.DeepClone().AsObject(), confirmation.CreatedId))).ShouldBe(HttpStatusCode.OK);
        await Cluster.Connector.WaitForCardAsync("Nothing to confirm");

        Cluster.Mimecast.RequestsTo(AddGroupMember).Count.ShouldBe(1);
        (await Cluster.ScalarAsync("SELECT COUNT(*) FROM pending_confirmations")).ShouldBe(0);
    }

    /// <summary>The <c>data</c> of the card's Action.Submit whose verb is <paramref name="verb"/>, wherever it sits in the card.</summary>
    private static JsonObject? FindSubmitData(JsonNode node, string verb)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"]?.GetValue<string>() == "Action.Submit" && obj["data"] is JsonObject data && data["verb"]?.GetValue<string>() == verb)
                {
                    return data.DeepClone().AsObject();
                }

                foreach ((string _, JsonNode? child) in obj)
                {
                    if (child is not null && FindSubmitData(child, verb) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray array:
                return array.OfType<JsonNode>().Select(child => FindSubmitData(child, verb)).FirstOrDefault(found => found is not null);
            default:
                return null;
        }
    }

    private int DistinctFirings() => Cluster.MonitorRuns().Select(r => r.ScheduledFireTime).Distinct().Count();
}
