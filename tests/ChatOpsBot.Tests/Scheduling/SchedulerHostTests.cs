using System.Net;
using ChatOpsBot.Alerts;
using ChatOpsBot.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ChatOpsBot.Tests.Scheduling;

/// <summary>The real host with the scheduler switched on, each test on a database of its own.</summary>
[Collection(TestHostDatabase.BreaksDatabasesCollection)]
public sealed class SchedulerHostTests : IDisposable
{
    /// <summary>Only a guard so a regression fails instead of hanging the run; a stop normally takes milliseconds.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly string _root = TestDatabase.NewFolder();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            TestDatabase.DeleteFolder(_root);
        }
        catch (IOException)
        {
            // A stopped host's last write-ahead-log file can land after the recursive delete listed the folder; the
            // folder is under the temp directory, so a leftover is harmless and must not fail the behaviour under test.
        }
    }

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

    [Fact]
    public void HostWithTheSchedulerDisabledHasNoQuartz()
    {
        using WebApplicationFactory<Program> factory = Factory(Path.Combine(_root, "chatops.db"), enabled: false);
        using HttpClient client = factory.CreateClient();

        factory.Services.GetService<ISchedulerFactory>().ShouldBeNull();
        factory.Services.GetServices<IJobScheduleReader>().ShouldBeEmpty();
        factory.Services.GetService<IAlertService>().ShouldNotBeNull();
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
