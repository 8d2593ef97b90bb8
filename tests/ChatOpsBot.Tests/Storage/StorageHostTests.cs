using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Storage;

// One collection with the scheduler host tests: both overwrite database files, which must not happen under another
// class's host mid-request.
[Collection(TestHostDatabase.BreaksDatabasesCollection)]
public sealed class StorageHostTests : IDisposable
{
    private readonly string _root = TestDatabase.NewFolder();

    public void Dispose()
    {
        TestDatabase.ReleaseFile(Path.Combine(_root, "bot", "chatops.db"));
        TestDatabase.ReleaseFile(Path.Combine(_root, "chatops.db"));
        TestDatabase.DeleteFolder(_root);
    }

    [Fact]
    public async Task HostStartsWithAFreshDatabaseAndIsReady()
    {
        string path = Path.Combine(_root, "bot", "chatops.db");
        using WebApplicationFactory<Program> factory = Factory(("ConnectionStrings:ChatOps", $"Data Source={path}"));
        using HttpClient client = factory.CreateClient();

        using HttpResponseMessage response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Healthy");
        File.Exists(path).ShouldBeTrue();
    }

    [Fact]
    public async Task ReadinessReportsUnhealthyOnlyAsAStatusWordWhenTheDatabaseIsUnreadable()
    {
        string path = Path.Combine(_root, "chatops.db");
        using WebApplicationFactory<Program> factory = Factory(("ConnectionStrings:ChatOps", $"Data Source={path}"));
        using HttpClient client = factory.CreateClient();
        TestDatabase.ReleaseFile(path);
        File.Delete(path + "-wal");
        File.Delete(path + "-shm");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("not a database ", 500)));

        using HttpResponseMessage response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Unhealthy");
    }

    [Fact]
    public void HostRefusesToStartWithThePostgresProvider()
    {
        using WebApplicationFactory<Program> factory = Factory(
            ("ConnectionStrings:ChatOps", $"Data Source={Path.Combine(_root, "chatops.db")}"), ("Storage:Provider", "Postgres"));

        Should.Throw<OptionsValidationException>(() => factory.CreateClient()).Message.ShouldContain("not available yet");
    }

    private static WebApplicationFactory<Program> Factory(params (string Key, string Value)[] settings)
    {
#pragma warning disable CA2000 // The derived factory owns and disposes the base one.
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach ((string key, string value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
#pragma warning restore CA2000
    }
}
