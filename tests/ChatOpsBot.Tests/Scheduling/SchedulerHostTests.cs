using System.Net;
using ChatOpsBot.Alerts;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace ChatOpsBot.Tests.Scheduling;

/// <summary>The real host with the scheduler switched on, each test on a database of its own.</summary>
[Collection(TestHostDatabase.BreaksDatabasesCollection)]
public sealed class SchedulerHostTests : IDisposable
{
    private readonly string _root = TestDatabase.NewFolder();

    public void Dispose() => TestDatabase.ReleaseAndDeleteFolder(_root);

    [Fact]
    public async Task HostRunsTheSchedulerAndIsReadyWithItsCheck()
    {
        using WebApplicationFactory<Program> factory = Factory(Path.Combine(_root, "chatops.db"), enabled: true);
        using HttpClient client = factory.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        DateTimeOffset? next = await factory.Services.GetServices<IJobScheduleReader>().Single().NextRunAsync(JobNames.UrlMonitor, CancellationToken.None);
        next.ShouldNotBeNull();
    }

    [PostgresFact]
    public async Task HostOnPostgresRunsTheSchedulerWithItsJobStoreInTheDatabase()
    {
        await using PostgresTestDatabase database = await PostgresTestDatabase.CreateAsync();
        using (WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Storage:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:ChatOps", database.ConnectionString);
            builder.UseSetting("Scheduling:Enabled", "true");
        }))
        {
            using HttpClient client = factory.CreateClient();

            using HttpResponseMessage response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            IScheduler scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            DateTimeOffset? next = await factory.Services.GetServices<IJobScheduleReader>().Single().NextRunAsync(JobNames.UrlMonitor, CancellationToken.None);
            next.ShouldNotBeNull();

            // A job fired now runs through Quartz's PostgreSQL delegate and records its run in the bot's tables.
            // (The re-check job without VirusTotal records a skipped run.)
            await scheduler.TriggerJob(new JobKey(JobNames.UrlRecheck, JobNames.Group));
            await WaitForAsync(async () =>
                await CountAsync(database, $"SELECT COUNT(*) FROM job_checkpoints WHERE job_name = '{JobNames.UrlRecheck}' AND last_run_outcome = 'skipped'") == 1);
        }

        // The six schedules (five alert jobs and the report mailbox) (a one-shot trigger of TriggerJob may still be there under load, so cron triggers only).
        (await CountAsync(database, $"SELECT COUNT(*) FROM {SchedulingServiceCollectionExtensions.PostgresTablePrefix}cron_triggers")).ShouldBe(6);
        (await CountAsync(database, $"SELECT COUNT(*) FROM {SchedulingServiceCollectionExtensions.PostgresTablePrefix}job_details")).ShouldBe(6);
    }

    [Fact]
    public void HostWithTheSchedulerDisabledHasNoQuartz()
    {
        using WebApplicationFactory<Program> factory = Factory(Path.Combine(_root, "chatops.db"), enabled: false);
        using HttpClient client = factory.CreateClient();

        factory.Services.GetService<ISchedulerFactory>().ShouldBeNull();
        factory.Services.GetServices<IJobScheduleReader>().ShouldBeEmpty();
        factory.Services.GetService<IAlertService>().ShouldNotBeNull();
    }

    private static async Task<long> CountAsync(PostgresTestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    private static WebApplicationFactory<Program> Factory(string databasePath, bool enabled)
    {
#pragma warning disable CA2000 // The derived factory owns and disposes the base one.
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:ChatOps", $"Data Source={databasePath}");
            builder.UseSetting("Scheduling:Enabled", enabled ? "true" : "false");
        });
#pragma warning restore CA2000
    }
}
