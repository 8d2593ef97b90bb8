using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Postgres;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

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
    public async Task HostRefusesToStartWithThePostgresProviderAndASqliteConnectionString()
    {
        // The storage registrations in a plain host, not WebApplicationFactory: when the app's own start throws, the
        // factory's deferred host can read the already disposed service provider first and report that instead.
        Directory.CreateDirectory(_root);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = _root,
            EnvironmentName = "Testing",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatOps"] = $"Data Source={Path.Combine(_root, "chatops.db")};Password=hunter2",
            ["Storage:Provider"] = "Postgres",
        });
        builder.AddChatOpsStorage();
        using IHost host = builder.Build();

        string message = (await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync())).Message;

        message.ShouldContain("not a valid PostgreSQL connection string");
        message.ShouldNotContain("hunter2");
    }

    [PostgresFact]
    public async Task HostStartsWithThePostgresProviderAndIsReady()
    {
        await using PostgresTestDatabase database = await PostgresTestDatabase.CreateAsync();
        using (WebApplicationFactory<Program> factory = Factory(("ConnectionStrings:ChatOps", database.ConnectionString), ("Storage:Provider", "Postgres")))
        {
            using HttpClient client = factory.CreateClient();

            using HttpResponseMessage response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync()).ShouldBe("Healthy");
            factory.Services.GetRequiredService<DatabaseConnectionFactory>().ShouldBeOfType<PostgresConnectionFactory>();
            IVipStore vips = factory.Services.GetRequiredService<IVipStore>();
            (await vips.AddAsync(new StoredVip("Dana Whitfield", "dana@example.com", "test", DateTimeOffset.UnixEpoch), CancellationToken.None)).ShouldBeTrue();
        }

        // The state is in PostgreSQL, not in a SQLite file under the content root.
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM vips", connection);
        (await count.ExecuteScalarAsync()).ShouldBe(1L);
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
