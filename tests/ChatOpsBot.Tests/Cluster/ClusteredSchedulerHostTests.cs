using System.Net;
using ChatOpsBot.Commands.Confirmation;
using ChatOpsBot.Integrations.VirusTotal;
using ChatOpsBot.Storage.Stores;
using ChatOpsBot.Tests.Storage;
using ChatOpsBot.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ChatOpsBot.Tests.Cluster;

/// <summary>The scheduler is a Quartz cluster node exactly when the bot stores its state in PostgreSQL.</summary>
[Collection(TestHostDatabase.BreaksDatabasesCollection)]
public sealed class ClusteredSchedulerHostTests : IDisposable
{
    private readonly string _root = TestDatabase.NewFolder();

    public void Dispose() => TestDatabase.ReleaseAndDeleteFolder(_root);

    [PostgresFact]
    public async Task On_postgres_the_scheduler_is_a_cluster_node_with_its_own_id_and_checks_in()
    {
        await using PostgresTestDatabase database = await PostgresTestDatabase.CreateAsync();
        using (WebApplicationFactory<Program> factory = Factory(
            ("Storage:Provider", "Postgres"), ("ConnectionStrings:ChatOps", database.ConnectionString), ("Scheduling:ClusterCheckinInterval", "00:00:01")))
        {
            using HttpClient client = factory.CreateClient();
            (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);

            IScheduler scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            SchedulerMetadata metadata = await scheduler.GetMetadata();

            metadata.JobStoreClustered.ShouldBeTrue();
            scheduler.SchedulerInstanceId.ShouldNotBe("NON_CLUSTERED");
            IJobDetail monitor = (await scheduler.GetJobDetail(new JobKey("url-monitor", "alerts"))).ShouldNotBeNull();
            monitor.RequestsRecovery.ShouldBeTrue();
            monitor.ConcurrentExecutionDisallowed.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task On_sqlite_the_scheduler_is_not_clustered()
    {
        using WebApplicationFactory<Program> factory = Factory(("ConnectionStrings:ChatOps", $"Data Source={Path.Combine(_root, "chatops.db")}"));
        using HttpClient client = factory.CreateClient();

        IScheduler scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        (await scheduler.GetMetadata()).JobStoreClustered.ShouldBeFalse();
    }

    [Fact]
    public async Task A_restart_keeps_the_stored_triggers_but_applies_a_changed_schedule()
    {
        (string, string) database = ("ConnectionStrings:ChatOps", $"Data Source={Path.Combine(_root, "chatops.db")}");
        var monitorTrigger = new TriggerKey("url-monitor-trigger", "alerts");
        var deliveryTrigger = new TriggerKey("alert-delivery-trigger", "alerts");
        DateTimeOffset? deliveryStart;
        using (WebApplicationFactory<Program> first = Factory(database, ("Monitor:Schedule", "0 0/20 * * * ?")))
        {
            using HttpClient client = first.CreateClient();
            IScheduler scheduler = await first.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            deliveryStart = (await scheduler.GetTrigger(deliveryTrigger)).ShouldNotBeNull().StartTimeUtc;
        }

        using WebApplicationFactory<Program> second = Factory(database, ("Monitor:Schedule", "0 0/7 * * * ?"));
        using HttpClient secondClient = second.CreateClient();
        IScheduler restarted = await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        ((ICronTrigger)(await restarted.GetTrigger(monitorTrigger)).ShouldNotBeNull()).CronExpressionString.ShouldBe("0 0/7 * * * ?");
        // The unchanged trigger is the stored one, not a replacement declared again by the new process.
        (await restarted.GetTrigger(deliveryTrigger)).ShouldNotBeNull().StartTimeUtc.ShouldBe(deliveryStart!.Value);
    }

    [Fact]
    public void The_host_keeps_confirmations_and_the_virustotal_budget_in_its_database()
    {
        using WebApplicationFactory<Program> factory = Factory(("ConnectionStrings:ChatOps", $"Data Source={Path.Combine(_root, "chatops.db")}"));
        using HttpClient client = factory.CreateClient();

        factory.Services.GetRequiredService<IPendingConfirmationStore>().ShouldBeOfType<PendingConfirmationStore>();
        factory.Services.GetRequiredService<IVirusTotalBudgetStore>().ShouldBeOfType<VirusTotalBudgetStore>();
    }

    [Fact]
    public void An_out_of_range_checkin_interval_stops_the_start_with_its_key()
    {
        using WebApplicationFactory<Program> factory = Factory(
            ("ConnectionStrings:ChatOps", $"Data Source={Path.Combine(_root, "chatops.db")}"), ("Scheduling:ClusterCheckinInterval", "00:00:00.100"));

        Exception failure = Should.Throw<Exception>(() => factory.CreateClient());

        failure.ToString().ShouldContain("Scheduling:ClusterCheckinInterval must be between");
    }

    private static WebApplicationFactory<Program> Factory(params (string Key, string Value)[] settings)
    {
#pragma warning disable CA2000 // The derived factory owns and disposes the base one.
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Scheduling:Enabled", "true");
            foreach ((string key, string value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
#pragma warning restore CA2000
    }
}
