using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Tests.Storage;

public sealed class SqliteConnectionFactoryTests
{
    [Fact]
    public void DatabaseFolderAndFileAreCreatedForTheOwnerOnly()
    {
        string root = TestDatabase.NewFolder();
        try
        {
            var connections = new SqliteConnectionFactory(new StorageOptions { ConnectionString = "Data Source=data/chatops.db" }, root);

            connections.EnsureDatabaseFile();

            connections.DatabasePath.ShouldBe(Path.Combine(root, "data", "chatops.db"));
            File.Exists(connections.DatabasePath).ShouldBeTrue();
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(connections.DatabasePath).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.GetUnixFileMode(Path.Combine(root, "data")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        finally
        {
            TestDatabase.DeleteFolder(root);
        }
    }

    [Fact]
    public async Task ExistingDatabaseFileIsLeftAsItIs()
    {
        using TestDatabase database = await TestDatabase.CreateMigratedAsync();
        long before = await database.ScalarAsync("SELECT COUNT(*) FROM schema_migrations");

        database.Connections.EnsureDatabaseFile();

        (await database.ScalarAsync("SELECT COUNT(*) FROM schema_migrations")).ShouldBe(before);
    }

    [Theory]
    [InlineData("PRAGMA foreign_keys", 1)]
    [InlineData("PRAGMA busy_timeout", 7000)]
    [InlineData("PRAGMA synchronous", 2)]
    [InlineData("PRAGMA mmap_size", 96L * 1024 * 1024)]
    public async Task OpenedConnectionsCarryTheConfiguredSettings(string pragma, long expected)
    {
        string root = TestDatabase.NewFolder();
        var connections = new SqliteConnectionFactory(
            new StorageOptions
            {
                ConnectionString = "Data Source=chatops.db", BusyTimeoutSeconds = 7, SqliteDurability = SqliteDurability.Full, SqliteMemoryMapMegabytes = 96,
            },
            root);
        try
        {
            connections.EnsureDatabaseFile();
            await using SqliteConnection connection = await connections.OpenSqliteAsync(CancellationToken.None);
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = pragma;

            (await command.ExecuteScalarAsync()).ShouldBe(expected);
        }
        finally
        {
            TestDatabase.ReleaseFile(connections);
            TestDatabase.DeleteFolder(root);
        }
    }

    [Fact]
    public async Task ForeignKeysAreEnforced()
    {
        using TestDatabase database = await TestDatabase.CreateMigratedAsync();

        SqliteException error = await Should.ThrowAsync<SqliteException>(database.ExecuteAsync(
            "INSERT INTO subscriptions (channel_id, conversation_id, alert_kind, created_by, created_at) VALUES ('msteams', 'nowhere', 'url', 'u', 0)"));

        error.Message.ShouldContain("FOREIGN KEY");
    }
}
