using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Migrations;
using ChatOpsBot.Storage.Postgres;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace ChatOpsBot.Tests.Storage;

/// <summary>The storage start-up (options, migrations, VIP seeding, readiness) of hosts on one PostgreSQL database.</summary>
public sealed class PostgresStorageStartupTests : IAsyncLifetime
{
    private const int Instances = 4;

    private readonly string _root = TestDatabase.NewFolder();
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        TestDatabase.DeleteFolder(_root);
    }

    [PostgresFact]
    public async Task InstancesStartingTogetherMigrateAndSeedOnceAndAreAllReady()
    {
        IHost[] hosts = [.. Enumerable.Range(0, Instances).Select(i => StorageHost.Build(Path.Combine(_root, $"instance-{i}"), Settings()))];
        try
        {
            using var start = new Barrier(Instances);
            await Task.WhenAll(hosts.Select(host => Task.Run(async () =>
            {
                start.SignalAndWait();
                await host.StartAsync();
            })));

            foreach (IHost host in hosts)
            {
                (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status.ShouldBe(HealthStatus.Healthy);
            }

            (await hosts[0].Services.GetRequiredService<IVipStore>().ListAsync(CancellationToken.None)).Select(vip => vip.Email)
                .ShouldBe(["dana@example.com", "lee@example.com"]);
            await using var probe = new PostgresConnectionFactory(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = _database.ConnectionString });
            (await ScalarAsync(probe, "SELECT COUNT(*) FROM schema_migrations")).ShouldBe(MigrationCatalog.For(StorageProvider.Postgres).Count);
            (await ScalarAsync(probe, "SELECT COUNT(*) FROM app_metadata")).ShouldBe(1, "one seeding decision");
            Directory.EnumerateFiles(_root, "*.db", SearchOption.AllDirectories).ShouldBeEmpty("no SQLite file beside a PostgreSQL host");
        }
        finally
        {
            foreach (IHost host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }

    [PostgresFact]
    public async Task ReadinessIsUnhealthyWhenTheDatabaseIsGone()
    {
        using IHost host = StorageHost.Build(_root, Settings());
        await host.StartAsync();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
        (await health.CheckHealthAsync()).Status.ShouldBe(HealthStatus.Healthy);

        await _database.DisposeAsync();

        HealthReport report = await health.CheckHealthAsync();
        report.Status.ShouldBe(HealthStatus.Unhealthy);
        report.Entries["database"].Description.ShouldBe("The database cannot be queried.");
        await host.StopAsync();
        _database = await PostgresTestDatabase.CreateAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["ConnectionStrings:ChatOps"] = _database.ConnectionString,
        ["Vips:0:DisplayName"] = "Dana Whitfield",
        ["Vips:0:Email"] = "dana@example.com",
        ["Vips:1:DisplayName"] = "Lee Park",
        ["Vips:1:Email"] = "lee@example.com",
    };

    private static async Task<long> ScalarAsync(DatabaseConnectionFactory connections, string sql)
    {
        await using System.Data.Common.DbConnection connection = await connections.OpenAsync(CancellationToken.None);
        using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
