using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.TestSupport;
using Xunit.Abstractions;

namespace ChatOpsBot.Tests.Cluster;

/// <summary>An instance killed in the middle of a monitor run: the other recovers the run and the alert goes out once.</summary>
[Collection(ClusterProcesses.Name)]
public sealed class ClusterRecoveryTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Killing_the_instance_mid_run_lets_the_other_complete_it_and_deliver_the_alert_exactly_once()
    {
        await using ClusterEnvironment cluster = await ClusterEnvironment.StartAsync();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        cluster.Mimecast.ClickLogs =
        [
            Clicks.Record(now.AddHours(-2), "https://evil.example/invoice", "alice@corp.example"),
            Clicks.Record(now.AddMinutes(-3), "https://evil.example/invoice", "bob@corp.example", scanResult: "malicious", action: "block"),
        ];
        // The first click query hangs: the instance that makes it is mid-run, holding the firing, when it is killed.
        cluster.Mimecast.EnqueueFault("/api/ttp/url/get-logs", FakeFault.Slow(TimeSpan.FromMinutes(10)));

        BotProcess[] instances = await cluster.StartInstancesAsync(
            cluster.Settings("0/3 * * * * ?", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)),
            "instance-a", "instance-b");
        await cluster.WaitUntilAsync(
            () => cluster.Mimecast.RequestsTo("/api/ttp/url/get-logs").Count >= 1 && cluster.MonitorRuns().Count >= 1,
            "a monitor run to reach the stalled click query", TimeSpan.FromSeconds(90));
        MonitorRun stalled = cluster.MonitorRuns().ShouldHaveSingleItem("only one run: the job does not run concurrently, cluster-wide");
        BotProcess victim = instances.Single(i => i.Name == stalled.Instance);
        BotProcess survivor = instances.Single(i => i != victim);

        victim.Kill();
        output.WriteLine($"killed {victim.Name} (node {stalled.NodeId}) during the run fired for {stalled.ScheduledFireTime:O}");

        await cluster.WaitUntilAsync(() => !cluster.Smtp.Messages.IsEmpty, "the alert mail from the surviving instance", TimeSpan.FromSeconds(90));
        // The mail arrives before the outbox records it as sent.
        await cluster.WaitUntilAsync(
            async () => await cluster.ScalarAsync("SELECT COUNT(*) FROM alert_deliveries WHERE status = 'sent'") > 0, "the delivery recorded as sent", TimeSpan.FromSeconds(30));
        await cluster.WaitUntilAsync(
            () => cluster.MonitorRuns().Count(r => r.Instance == survivor.Name) >= 3, "the survivor's later runs", TimeSpan.FromSeconds(60));

        victim.HasExited.ShouldBeTrue();
        IReadOnlyList<MonitorRun> survivorRuns = [.. cluster.MonitorRuns().Where(r => r.Instance == survivor.Name)];
        survivorRuns.ShouldContain(r => r.Recovering && r.Trigger == stalled.Trigger, $"the survivor re-ran the killed run\n{cluster.DescribeInstances()}");
        cluster.Smtp.Messages.Count.ShouldBe(1, cluster.DescribeInstances());
        cluster.Smtp.Messages.Single().Recipients.ShouldBe([$"<{ClusterEnvironment.AlertRecipient}>"]);
        (await cluster.ScalarAsync("SELECT COUNT(*) FROM alerts")).ShouldBe(1);
        (await cluster.ScalarAsync("SELECT COUNT(*) FROM alert_deliveries WHERE status = 'sent'")).ShouldBe(1);
    }
}
