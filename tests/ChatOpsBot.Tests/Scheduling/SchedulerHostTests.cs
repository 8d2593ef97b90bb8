using System.Net;
using ChatOpsBot.Alerts;
using ChatOpsBot.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
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
