using System.Data.Common;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Migrations;

namespace ChatOpsBot.Tests.Storage;

public abstract class MigrationRunnerTests
{
    private static readonly string[] s_expectedTables =
    [
        // The same tables on both providers (names lower-cased; PostgreSQL folds unquoted names, SQLite keeps QRTZ_).
        "alert_deliveries", "alerts", "app_metadata", "audit_log", "conversations", "inbound_deliveries", "job_checkpoints", "mail_reports",
        // Migration 0006: state every instance of a scale-out deployment shares (also virustotal_pause, virustotal_slots).
        "pending_confirmations",
        // Migration 0003: Quartz's job store.
        "qrtz_blob_triggers", "qrtz_calendars", "qrtz_cron_triggers", "qrtz_execution_history", "qrtz_fired_triggers", "qrtz_job_details",
        "qrtz_job_status", "qrtz_locks", "qrtz_misfire_history", "qrtz_paused_job_grps", "qrtz_paused_trigger_grps", "qrtz_scheduler_state",
        "qrtz_simple_triggers", "qrtz_simprop_triggers", "qrtz_triggers",
        "reputation_cache", "schema_migrations", "subscriptions", "url_clicks", "vips",
        "virustotal_pause", "virustotal_slots",
    ];

    protected abstract StorageProvider Provider { get; }

    private IReadOnlyList<Migration> Migrations => MigrationCatalog.For(Provider);

    [ProviderFact]
    public async Task MigratingAnEmptyDatabaseCreatesEveryTableAndRecordsEachMigration()
    {
        await using StoreDatabase database = await StoreDatabase.CreateEmptyAsync(Provider);

        MigrationRunResult result = await database.MigrateAsync(Migrations);

        result.SchemaVersion.ShouldBe(Migrations.Count);
        result.Applied.ShouldBe(Migrations);
        (await database.TablesAsync()).ShouldBe(s_expectedTables);
        await using DbConnection connection = await database.Connections.OpenAsync(CancellationToken.None);
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, applied_at, checksum FROM schema_migrations ORDER BY version";
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        foreach (Migration migration in Migrations)
        {
            (await reader.ReadAsync()).ShouldBeTrue();
            reader.GetInt32(0).ShouldBe(migration.Version);
            reader.GetString(1).ShouldBe(migration.Name);
            reader.GetInt64(2).ShouldBe(database.Time.GetUtcNow().ToUnixTimeMilliseconds());
            reader.GetString(3).ShouldBe(migration.Checksum);
        }

        (await reader.ReadAsync()).ShouldBeFalse();
    }

    [ProviderTheory]
    [InlineData("normalized_url", "allowed", "ix_url_clicks_allowed_url")]
    [InlineData("normalized_url", "malicious", "ix_url_clicks_malicious_url")]
    [InlineData("registrable_domain", "allowed", "ix_url_clicks_allowed_domain")]
    [InlineData("registrable_domain", "malicious", "ix_url_clicks_malicious_domain")]
    public async Task ClickLookUpsUseThePartialIndexOfTheirDisposition(string keyColumn, string disposition, string expectedIndex)
    {
        // 0007 indexes only the rows a look-up can ask for (clicks of other dispositions are never looked up by URL or
        // domain): the detection queries' shape must let the planner choose those partial indexes.
        await using StoreDatabase database = await StoreDatabase.CreateMigratedAsync(Provider);
        string lookUp = $"""
            SELECT user_email FROM url_clicks
            WHERE click_disposition = '{disposition}' AND {keyColumn} = 'https://evil.example/' AND clicked_at >= 1 AND clicked_at < 2
            ORDER BY clicked_at DESC, fingerprint LIMIT 50
            """;

        string plan = await PlanAsync(database, lookUp);

        plan.ShouldContain(expectedIndex);
        (await database.ScalarAsync(Provider == StorageProvider.Postgres
            ? "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'url_clicks' AND indexname IN ('ix_url_clicks_disposition_url_clicked_at', 'ix_url_clicks_registrable_domain_clicked_at', 'ix_url_clicks_normalized_url_clicked_at')"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('ix_url_clicks_disposition_url_clicked_at', 'ix_url_clicks_registrable_domain_clicked_at', 'ix_url_clicks_normalized_url_clicked_at')"))
            .ShouldBe(0, "the full indexes the partial ones replace are gone");
    }

    private async Task<string> PlanAsync(StoreDatabase database, string query)
    {
        await using DbConnection connection = await database.Connections.OpenAsync(CancellationToken.None);
        if (Provider == StorageProvider.Postgres)
        {
            // An empty table is cheapest to scan; the question is whether the index can serve the query at all.
            using DbCommand off = connection.CreateCommand();
            off.CommandText = "SET enable_seqscan = off";
            await off.ExecuteNonQueryAsync();
        }

        using DbCommand explain = connection.CreateCommand();
        explain.CommandText = (Provider == StorageProvider.Postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + query;
        var lines = new List<string>();
        await using DbDataReader reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(Convert.ToString(reader.GetValue(reader.FieldCount - 1), System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        return string.Join("\n", lines);
    }

    [ProviderFact]
    public async Task RerunAppliesNothingAndKeepsData()
    {
        await using StoreDatabase database = await StoreDatabase.CreateMigratedAsync(Provider);
        await database.ExecuteAsync("INSERT INTO app_metadata (metadata_key, metadata_value, updated_at) VALUES ('k', 'v', 1)");

        MigrationRunResult rerun = await database.MigrateAsync(Migrations);

        rerun.Applied.ShouldBeEmpty();
        rerun.SchemaVersion.ShouldBe(Migrations.Count);
        (await database.ScalarAsync("SELECT COUNT(*) FROM app_metadata")).ShouldBe(1);
        (await database.ScalarAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(Migrations.Count);
    }

    [ProviderFact]
    public async Task LaterMigrationIsAppliedOnTopOfEarlierOnes()
    {
        await using StoreDatabase database = await StoreDatabase.CreateEmptyAsync(Provider);
        Migration first = MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT NOT NULL PRIMARY KEY);");
        Migration second = MigrationCatalog.Create(2, "second", "CREATE TABLE b (id {{identity_primary_key}}, a_id TEXT NOT NULL REFERENCES a (id));");
        await database.MigrateAsync([first]);

        MigrationRunResult result = await database.MigrateAsync([first, second]);

        result.Applied.ShouldBe([second]);
        await database.ExecuteAsync("INSERT INTO a (id) VALUES ('x'); INSERT INTO b (a_id) VALUES ('x'); INSERT INTO b (a_id) VALUES ('x');");
        (await database.ScalarAsync("SELECT MAX(id) FROM b")).ShouldBe(2);
    }

    [ProviderFact]
    public async Task EditedMigrationIsRefused()
    {
        await using StoreDatabase database = await StoreDatabase.CreateEmptyAsync(Provider);
        await database.MigrateAsync([MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT);")]);

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(
            database.MigrateAsync([MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT, extra TEXT);")]));

        error.Message.ShouldContain("0001_first");
        error.Message.ShouldContain("was edited");
    }

    [ProviderFact]
    public async Task TamperedChecksumInTheDatabaseIsRefused()
    {
        await using StoreDatabase database = await StoreDatabase.CreateMigratedAsync(Provider);
        await database.ExecuteAsync("UPDATE schema_migrations SET checksum = 'deadbeef' WHERE version = 1");

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(database.MigrateAsync(Migrations));

        error.Message.ShouldContain("deadbeef");
    }

    [ProviderFact]
    public async Task DatabaseMigratedByANewerBuildIsRefused()
    {
        await using StoreDatabase database = await StoreDatabase.CreateMigratedAsync(Provider);
        int newer = Migrations.Count + 1;
        await database.ExecuteAsync(
            $"INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES ({newer}, 'from_the_future', 0, 'abc')");

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(database.MigrateAsync(Migrations));

        error.Message.ShouldContain($"schema version {newer} (from_the_future), newer than this build");
        error.Message.ShouldContain("Refusing to start");
    }

    [ProviderFact]
    public async Task MissingEarlierMigrationIsRefused()
    {
        await using StoreDatabase database = await StoreDatabase.CreateEmptyAsync(Provider);
        Migration first = MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT);");
        Migration second = MigrationCatalog.Create(2, "second", "CREATE TABLE b (id TEXT);");
        await database.MigrateAsync([first, second]);
        await database.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 1");

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(database.MigrateAsync([first, second]));

        error.Message.ShouldContain("0001_first has not been applied");
    }

    [ProviderFact]
    public async Task FailingMigrationLeavesNeitherItsTablesNorItsRecord()
    {
        await using StoreDatabase database = await StoreDatabase.CreateEmptyAsync(Provider);
        Migration first = MigrationCatalog.Create(1, "first", "CREATE TABLE a (id TEXT);");
        Migration broken = MigrationCatalog.Create(2, "broken", "CREATE TABLE b (id TEXT); CREATE TABLE c (id TEXT, oops;");

        DatabaseSchemaException error = await Should.ThrowAsync<DatabaseSchemaException>(database.MigrateAsync([first, broken]));

        error.Message.ShouldContain("0002_broken failed and was rolled back");
        (await database.TablesAsync()).ShouldBe(["a", "schema_migrations"]);
        (await database.ScalarAsync("SELECT MAX(version) FROM schema_migrations")).ShouldBe(1);
    }

    [ProviderFact]
    public async Task InstancesMigratingTheSameDatabaseAtOnceApplyEachMigrationOnce()
    {
        await using StoreDatabase database = await StoreDatabase.CreateEmptyAsync(Provider);
        using var start = new Barrier(4);

        MigrationRunResult[] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await database.MigrateAsync(Migrations);
        })));

        results.Sum(result => result.Applied.Count).ShouldBe(Migrations.Count);
        results.ShouldAllBe(result => result.SchemaVersion == Migrations.Count);
        (await database.ScalarAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(Migrations.Count);
    }
}

public sealed class SqliteMigrationRunnerTests : MigrationRunnerTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresMigrationRunnerTests : MigrationRunnerTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
