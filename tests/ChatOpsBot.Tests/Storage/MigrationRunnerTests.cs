using ChatOpsBot.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Tests.Storage;

public sealed class MigrationRunnerTests
{
    private static readonly string[] s_expectedTables =
    [
        // Migration 0003: Quartz's job store (upper case sorts first).
        "QRTZ_BLOB_TRIGGERS", "QRTZ_CALENDARS", "QRTZ_CRON_TRIGGERS", "QRTZ_EXECUTION_HISTORY", "QRTZ_FIRED_TRIGGERS", "QRTZ_JOB_DETAILS",
        "QRTZ_JOB_STATUS", "QRTZ_LOCKS", "QRTZ_MISFIRE_HISTORY", "QRTZ_PAUSED_JOB_GRPS", "QRTZ_PAUSED_TRIGGER_GRPS", "QRTZ_SCHEDULER_STATE",
        "QRTZ_SIMPLE_TRIGGERS", "QRTZ_SIMPROP_TRIGGERS", "QRTZ_TRIGGERS",
        "alert_deliveries", "alerts", "app_metadata", "audit_log", "conversations", "inbound_deliveries", "job_checkpoints",
        // Migration 0004: state every instance of a scale-out deployment shares.
        "pending_confirmations",
        "reputation_cache", "schema_migrations", "subscriptions", "url_clicks", "vips",
        "virustotal_pause", "virustotal_slots",
    ];

    [Fact]
    public async Task MigratingAnEmptyDatabaseCreatesEveryTableAndRecordsEachMigration()
    {
        using TestDatabase database = TestDatabase.CreateEmpty();

        MigrationRunResult result = await database.MigrateAsync(MigrationCatalog.Embedded);

        result.SchemaVersion.ShouldBe(MigrationCatalog.Embedded.Count);
        result.Applied.ShouldBe(MigrationCatalog.Embedded);
        (await database.TablesAsync()).ShouldBe(s_expectedTables);
        await using SqliteConnection connection = await database.Connections.OpenSqliteAsync(CancellationToken.None);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, applied_at, checksum FROM schema_migrations ORDER BY version";
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        foreach (Migration migration in MigrationCatalog.Embedded)
        {
            (await reader.ReadAsync()).ShouldBeTrue();
            reader.GetInt32(0).ShouldBe(migration.Version);
            reader.GetString(1).ShouldBe(migration.Name);
            reader.GetInt64(2).ShouldBe(database.Time.GetUtcNow().ToUnixTimeMilliseconds());
            reader.GetString(3).ShouldBe(migration.Checksum);
        }

        (await reader.ReadAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task IndexesForClickLookupExist()
    {
        using TestDatabase database = await TestDatabase.CreateMigratedAsync();

        (await database.ScalarAsync(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_url_clicks_normalized_url_clicked_at' AND tbl_name = 'url_clicks'"))
            .ShouldBe(1);
    }

    [Fact]
    public async Task RerunAppliesNothingAndKeepsData()
    {
        using TestDatabase database = await TestDatabase.CreateMigratedAsync();
        await database.ExecuteAsync("INSERT INTO app_metadata (metadata_key, metadata_value, updated_at) VALUES ('k', 'v', 1)");

        MigrationRunResult rerun = await database.MigrateAsync(MigrationCatalog.Embedded);

        rerun.Applied.ShouldBeEmpty();
        rerun.SchemaVersion.ShouldBe(MigrationCatalog.Embedded.Count);
        (await database.ScalarAsync("SELECT COUNT(*) FROM app_metadata")).ShouldBe(1);
        (await database.ScalarAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(MigrationCatalog.Embedded.Count);
    }

    [Fact]
    public async Task LaterMigrationIsAppliedOnTopOfEarlierOnes()
    {
        using TestDatabase database = TestDatabase.CreateEmpty();
        Migration first = MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT NOT NULL PRIMARY KEY);");
        Migration second = MigrationCatalog.Create(2, "second", "CREATE TABLE b (id {{identity_primary_key}}, a_id TEXT NOT NULL REFERENCES a (id));");
        await database.MigrateAsync([first]);

        MigrationRunResult result = await database.MigrateAsync([first, second]);

        result.Applied.ShouldBe([second]);
        await database.ExecuteAsync("INSERT INTO a (id) VALUES ('x'); INSERT INTO b (a_id) VALUES ('x'); INSERT INTO b (a_id) VALUES ('x');");
        (await database.ScalarAsync("SELECT MAX(id) FROM b")).ShouldBe(2);
    }

    [Fact]
    public async Task EditedMigrationIsRefused()
    {
        using TestDatabase database = TestDatabase.CreateEmpty();
        await database.MigrateAsync([MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT);")]);

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(
            database.MigrateAsync([MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT, extra TEXT);")]));

        error.Message.ShouldContain("0001_first");
        error.Message.ShouldContain("was edited");
    }

    [Fact]
    public async Task TamperedChecksumInTheDatabaseIsRefused()
    {
        using TestDatabase database = await TestDatabase.CreateMigratedAsync();
        await database.ExecuteAsync("UPDATE schema_migrations SET checksum = 'deadbeef' WHERE version = 1");

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(database.MigrateAsync(MigrationCatalog.Embedded));

        error.Message.ShouldContain("deadbeef");
    }

    [Fact]
    public async Task DatabaseMigratedByANewerBuildIsRefused()
    {
        using TestDatabase database = await TestDatabase.CreateMigratedAsync();
        int newer = MigrationCatalog.Embedded.Count + 1;
        await database.ExecuteAsync(
            $"INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES ({newer}, 'from_the_future', 0, 'abc')");

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(database.MigrateAsync(MigrationCatalog.Embedded));

        error.Message.ShouldContain($"schema version {newer} (from_the_future), newer than this build");
        error.Message.ShouldContain("Refusing to start");
    }

    [Fact]
    public async Task MissingEarlierMigrationIsRefused()
    {
        using TestDatabase database = TestDatabase.CreateEmpty();
        Migration first = MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT);");
        Migration second = MigrationCatalog.Create(2, "second", "CREATE TABLE b (id TEXT);");
        await database.MigrateAsync([first, second]);
        await database.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 1");

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(database.MigrateAsync([first, second]));

        error.Message.ShouldContain("0001_first has not been applied");
    }

    [Fact]
    public async Task FailingMigrationLeavesNeitherItsTablesNorItsRecord()
    {
        using TestDatabase database = TestDatabase.CreateEmpty();
        Migration first = MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT);");
        Migration broken = MigrationCatalog.Create(2, "broken", "CREATE TABLE b (id TEXT); CREATE TABLE c (id TEXT, oops;");

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(database.MigrateAsync([first, broken]));

        error.Message.ShouldContain("0002_broken failed and was rolled back");
        (await database.TablesAsync()).ShouldBe(["a", "schema_migrations"]);
        (await database.ScalarAsync("SELECT MAX(version) FROM schema_migrations")).ShouldBe(1);
    }

    [Fact]
    public async Task InstancesMigratingTheSameDatabaseAtOnceApplyEachMigrationOnce()
    {
        using TestDatabase database = TestDatabase.CreateEmpty();
        using var start = new Barrier(4);

        MigrationRunResult[] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await database.MigrateAsync(MigrationCatalog.Embedded);
        })));

        results.Sum(result => result.Applied.Count).ShouldBe(MigrationCatalog.Embedded.Count);
        results.ShouldAllBe(result => result.SchemaVersion == MigrationCatalog.Embedded.Count);
        (await database.ScalarAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(MigrationCatalog.Embedded.Count);
    }
}
