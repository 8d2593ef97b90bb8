using System.Text.RegularExpressions;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Storage;

public sealed class MigrationCatalogTests
{
    [Fact]
    public void EmbeddedMigrationsAreNumberedFromOneWithoutGaps()
    {
        IReadOnlyList<Migration> migrations = MigrationCatalog.Embedded;

        migrations.ShouldNotBeEmpty();
        migrations.Select(migration => migration.Version).ShouldBe(Enumerable.Range(1, migrations.Count));
        migrations[0].Name.ShouldBe("initial");
    }

    // Guard for the PostgreSQL provider: the shared scripts must run there with only the dialect tokens rendered.
    [Theory]
    [InlineData(@"\bAUTOINCREMENT\b")]
    [InlineData(@"\bWITHOUT\s+ROWID\b")]
    [InlineData(@"\)\s*STRICT\b")]
    [InlineData(@"\bPRAGMA\b")]
    [InlineData(@"\bINSERT\s+OR\b")]
    [InlineData(@"\bREPLACE\s+INTO\b")]
    [InlineData(@"\bCOLLATE\s+NOCASE\b")]
    [InlineData(@"\b(datetime|strftime|julianday|unixepoch)\s*\(")]
    [InlineData(@"\b(SERIAL|BIGSERIAL|BOOLEAN|TIMESTAMPTZ|JSONB|BYTEA)\b")]
    public void SharedScriptsAvoidEngineSpecificSyntax(string pattern)
    {
        foreach (Migration migration in MigrationCatalog.Embedded)
        {
            string code = Regex.Replace(migration.Script, "--[^\n]*", string.Empty);
            Regex.IsMatch(code, pattern, RegexOptions.IgnoreCase).ShouldBeFalse($"{migration.Label} matches {pattern}");
        }
    }

    [Fact]
    public void ChecksumIgnoresLineEndingsAndByteOrderMark()
    {
        Migration unix = MigrationCatalog.Create(1, "initial", "CREATE TABLE t (id TEXT);\nCREATE INDEX i ON t (id);\n");
        Migration windows = MigrationCatalog.Create(1, "initial", "\uFEFFCREATE TABLE t (id TEXT);\r\nCREATE INDEX i ON t (id);\r\n");

        windows.Checksum.ShouldBe(unix.Checksum);
        unix.Checksum.ShouldMatch("^[0-9a-f]{64}$");
    }

    [Fact]
    public void ChecksumChangesWhenTheScriptChanges()
    {
        MigrationCatalog.Create(1, "initial", "CREATE TABLE t (id TEXT);").Checksum
            .ShouldNotBe(MigrationCatalog.Create(1, "initial", "CREATE TABLE t (id BIGINT);").Checksum);
    }

    [Fact]
    public void GapInNumberingIsRefused()
    {
        InvalidOperationException error = Should.Throw<InvalidOperationException>(() => MigrationCatalog.FromFiles(
        [
            ("0001_initial.sql", "CREATE TABLE a (id TEXT);"),
            ("0003_later.sql", "CREATE TABLE b (id TEXT);"),
        ]));

        error.Message.ShouldContain("0003_later");
    }

    [Fact]
    public void RepeatedVersionIsRefused()
    {
        Should.Throw<InvalidOperationException>(() => MigrationCatalog.FromFiles(
        [
            ("0001_initial.sql", "CREATE TABLE a (id TEXT);"),
            ("0001_other.sql", "CREATE TABLE b (id TEXT);"),
        ]));
    }

    [Theory]
    [InlineData("1_initial.sql")]
    [InlineData("0001-initial.sql")]
    [InlineData("0001_Initial.sql")]
    [InlineData("0001_initial.txt")]
    public void BadFileNameIsRefused(string fileName)
    {
        Should.Throw<InvalidOperationException>(() => MigrationCatalog.FromFiles([(fileName, "CREATE TABLE a (id TEXT);")]))
            .Message.ShouldContain(fileName);
    }

    [Fact]
    public void UnknownDialectTokenIsRefused()
    {
        Should.Throw<InvalidOperationException>(() => MigrationCatalog.Create(2, "later", "CREATE TABLE a (id {{uuid_type}});"))
            .Message.ShouldContain("{{uuid_type}}");
    }

    [Fact]
    public void BothProvidersRunTheSameVersionsUnderTheSameNames()
    {
        MigrationCatalog.For(StorageProvider.Postgres).Select(migration => migration.Label)
            .ShouldBe(MigrationCatalog.For(StorageProvider.Sqlite).Select(migration => migration.Label));
        MigrationCatalog.For(StorageProvider.Sqlite).ShouldBe(MigrationCatalog.Embedded);
    }

    [Fact]
    public void OnlyTheQuartzMigrationHasAPostgresVersionOfItsOwn()
    {
        IReadOnlyList<Migration> sqlite = MigrationCatalog.For(StorageProvider.Sqlite);
        IReadOnlyList<Migration> postgres = MigrationCatalog.For(StorageProvider.Postgres);

        sqlite.Zip(postgres).Where(pair => pair.First.Checksum != pair.Second.Checksum).Select(pair => pair.Second.Label)
            .ShouldBe(["0003_quartz_job_store"]);
        postgres.Single(migration => migration.Version == 3).Script.ShouldContain("bytea");
    }

    [Fact]
    public void PostgresQuartzMigrationIsQuartzsOwnPostgresSchemaWithTheTablePrefixRendered()
    {
        using Stream stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema.create_postgres.sql")
            .ShouldNotBeNull("Quartz no longer ships its PostgreSQL schema under this name; compare the new one and add a migration");
        using var reader = new StreamReader(stream);
        string prefix = SchedulingServiceCollectionExtensions.PostgresTablePrefix;
        string quartz = reader.ReadToEnd().ReplaceLineEndings("\n").Replace("{0}", prefix, StringComparison.Ordinal).Replace("{1}", prefix, StringComparison.Ordinal);

        string script = MigrationCatalog.For(StorageProvider.Postgres).Single(migration => migration.Version == 3).Script;

        // The migration is a comment header followed by Quartz's script, unchanged.
        script.ShouldEndWith(quartz);
        script[..^quartz.Length].Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(line => line.StartsWith("--", StringComparison.Ordinal));
    }

    [Fact]
    public void ProviderVersionOfAMigrationThatDoesNotExistIsRefused()
    {
        Should.Throw<InvalidOperationException>(() => MigrationCatalog.WithOverrides(MigrationCatalog.Embedded, [("0099_missing.sql", "SELECT 1;")]))
            .Message.ShouldContain("0099_missing");
        Should.Throw<InvalidOperationException>(() => MigrationCatalog.WithOverrides(MigrationCatalog.Embedded, [("0001_renamed.sql", "SELECT 1;")]))
            .Message.ShouldContain("0001_renamed");
    }
}
