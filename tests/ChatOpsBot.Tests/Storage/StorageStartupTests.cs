using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Migrations;
using ChatOpsBot.Storage.Sqlite;
using ChatOpsBot.Storage.Stores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Storage;

public sealed class StorageStartupTests : IDisposable
{
    private readonly string _root = TestDatabase.NewFolder();

    public void Dispose()
    {
        TestDatabase.DeleteFolder(_root);
    }

    [Fact]
    public async Task StartCreatesAndMigratesTheDatabaseUnderTheContentRootInWalMode()
    {
        using IHost host = StorageHost.Build(_root, Settings());

        await host.StartAsync();

        SqliteConnectionFactory connections = host.Services.GetRequiredService<SqliteConnectionFactory>();
        connections.DatabasePath.ShouldBe(Path.Combine(_root, "data", "chatops.db"));
        await using (SqliteConnection connection = await connections.OpenSqliteAsync(CancellationToken.None))
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            (await command.ExecuteScalarAsync()).ShouldBe("wal");
            command.CommandText = "SELECT MAX(version) FROM schema_migrations";
            (await command.ExecuteScalarAsync()).ShouldBe((long)MigrationCatalog.Embedded.Count);
        }

        await StopAsync(host);
    }

    [Fact]
    public async Task CleanStopLeavesEverythingInTheDatabaseFile()
    {
        using IHost host = StorageHost.Build(_root, Settings());
        await host.StartAsync();
        await host.Services.GetRequiredService<IAuditLog>().AppendAsync(
            new AuditEntry(DateTimeOffset.UnixEpoch, "u", null, "msteams", "c", "help", "", AuditOutcome.Succeeded, TimeSpan.Zero, "x"), CancellationToken.None);

        await host.StopAsync();

        // Checked while pooled connections are still open: closing the last one would checkpoint by itself.
        new FileInfo(Path.Combine(_root, "data", "chatops.db-wal")).Length.ShouldBe(0);
        TestDatabase.ReleaseFile(host.Services.GetRequiredService<SqliteConnectionFactory>());
    }

    [Fact]
    public async Task ReadinessIsUnhealthyUntilThisProcessHasMigrated()
    {
        // The schema is already current (an earlier run), so only the start-up step can make the check pass.
        using (IHost earlier = StorageHost.Build(_root, Settings()))
        {
            await earlier.StartAsync();
            await StopAsync(earlier);
        }

        using IHost host = StorageHost.Build(_root, Settings());
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        (await health.CheckHealthAsync()).Status.ShouldBe(HealthStatus.Unhealthy);

        await host.StartAsync();
        (await health.CheckHealthAsync()).Status.ShouldBe(HealthStatus.Healthy);
        await StopAsync(host);
    }

    [Fact]
    public async Task ReadinessIsUnhealthyWhenTheDatabaseBecomesUnreadable()
    {
        using IHost host = StorageHost.Build(_root, Settings());
        await host.StartAsync();
        SqliteConnectionFactory connections = host.Services.GetRequiredService<SqliteConnectionFactory>();
        TestDatabase.ReleaseFile(connections);
        File.Delete(connections.DatabasePath + "-wal");
        File.Delete(connections.DatabasePath + "-shm");
        await File.WriteAllTextAsync(connections.DatabasePath, string.Concat(Enumerable.Repeat("this is not a database ", 500)));

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Status.ShouldBe(HealthStatus.Unhealthy);
        report.Entries["database"].Exception.ShouldBeOfType<SqliteException>();
        await StopAsync(host);
    }

    [Fact]
    public async Task DatabaseFromANewerBuildStopsTheStart()
    {
        using (IHost first = StorageHost.Build(_root, Settings()))
        {
            await first.StartAsync();
            SqliteConnectionFactory connections = first.Services.GetRequiredService<SqliteConnectionFactory>();
            await using (SqliteConnection connection = await connections.OpenSqliteAsync(CancellationToken.None))
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (999, 'future', 0, 'x')";
                await command.ExecuteNonQueryAsync();
            }

            await StopAsync(first);
        }

        using IHost second = StorageHost.Build(_root, Settings());

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(second.StartAsync());

        error.Message.ShouldContain("newer than this build");
        (await second.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status.ShouldBe(HealthStatus.Unhealthy);
        TestDatabase.ReleaseFile(second.Services.GetRequiredService<SqliteConnectionFactory>());
    }

    [Fact]
    public async Task FileThatIsNotADatabaseStopsTheStartNamingTheFile()
    {
        string path = Path.Combine(_root, "data", "chatops.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("garbage ", 1000)));
        using IHost host = StorageHost.Build(_root, Settings());

        InvalidOperationException error = await Should.ThrowAsync<InvalidOperationException>(host.StartAsync());

        error.Message.ShouldContain(path);
        TestDatabase.ReleaseFile(host.Services.GetRequiredService<SqliteConnectionFactory>());
    }

    [Fact]
    public async Task PostgresProviderWithoutAConnectionStringStopsTheStart()
    {
        using IHost host = StorageHost.Build(_root, new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres" });

        OptionsValidationException error = await Should.ThrowAsync<OptionsValidationException>(host.StartAsync());

        // No silent fall-back to the SQLite default: a cluster must not split into private files.
        error.Message.ShouldContain("ConnectionStrings:ChatOps is empty");
        Directory.Exists(Path.Combine(_root, "data")).ShouldBeFalse();
    }

    [Fact]
    public async Task AnUnreachableServerStopsTheStartNamingTheDatabaseButNotThePassword()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        using IHost host = StorageHost.Build(_root, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:ChatOps"] = "Host=127.0.0.1;Port=1;Database=chatops;Username=bot;Password=hunter2;Timeout=5",
        });

        InvalidOperationException error = await Should.ThrowAsync<InvalidOperationException>(host.StartAsync());

        error.Message.ShouldContain("The database 'postgresql://127.0.0.1:1/chatops' cannot be used");
        error.ToString().ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task MissingConnectionStringFallsBackToTheDefaultFileUnderData()
    {
        using IHost host = StorageHost.Build(_root, new Dictionary<string, string?>());

        await host.StartAsync();

        File.Exists(Path.Combine(_root, "data", "chatops.db")).ShouldBeTrue();
        await StopAsync(host);
    }

    [Fact]
    public void EveryContractIsRegistered()
    {
        using IHost host = StorageHost.Build(_root, Settings());

        host.Services.GetRequiredService<IVipStore>().ShouldBeOfType<VipStore>();
        host.Services.GetRequiredService<IAuditLog>().ShouldBeOfType<AuditLog>();
        host.Services.GetRequiredService<IConversationStore>().ShouldBeOfType<ConversationStore>();
        host.Services.GetRequiredService<IInboundDeduplicationStore>().ShouldBeOfType<InboundDeduplicationStore>();
        host.Services.GetRequiredService<ChatOpsBot.Integrations.IReputationCache>().ShouldBeOfType<ReputationCache>();
        host.Services.GetRequiredService<IStorageMaintenance>().ShouldBeOfType<StorageMaintenance>();
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:ChatOps"] = "Data Source=data/chatops.db" };
        foreach ((string key, string value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        TestDatabase.ReleaseFile(host.Services.GetRequiredService<SqliteConnectionFactory>());
    }
}
