using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Migrations;
using ChatOpsBot.Storage.Sqlite;
using ChatOpsBot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsBot.Tests.Storage;

/// <summary>A SQLite file in its own temporary folder, deleted (with its pooled connections) on dispose.</summary>
internal sealed class TestDatabase : IDisposable
{
    private TestDatabase(string folder)
    {
        Folder = folder;
        DatabasePath = Path.Combine(folder, "data", "chatops.db");
        Options = new StorageOptions { ConnectionString = $"Data Source={DatabasePath}" };
        Connections = new SqliteConnectionFactory(Options, folder);
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public StorageOptions Options { get; }

    public SqliteConnectionFactory Connections { get; }

    /// <summary>Starts at a whole millisecond, the precision the stores keep.</summary>
    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 30, 0, 125, TimeSpan.Zero));

    public static string NewFolder() => Path.Combine(Path.GetTempPath(), "chatops-storage-tests", Guid.NewGuid().ToString("N"));

    /// <summary>An empty database file, not migrated.</summary>
    public static TestDatabase CreateEmpty()
    {
        var database = new TestDatabase(NewFolder());
        database.Connections.EnsureDatabaseFile();
        return database;
    }

    /// <summary>A database migrated to this build's schema, as the host's start-up leaves it.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync()
    {
        TestDatabase database = CreateEmpty();
        await database.MigrateAsync(MigrationCatalog.Embedded);
        return database;
    }

    public MigrationRunner Runner() => new(new SqliteMigrationDialect(), Time, NullLogger<MigrationRunner>.Instance);

    public async Task<MigrationRunResult> MigrateAsync(IReadOnlyList<Migration> migrations)
    {
        await using SqliteConnection connection = await Connections.OpenSqliteAsync(CancellationToken.None);
        return await Runner().MigrateAsync(connection, migrations, CancellationToken.None);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using SqliteConnection connection = await Connections.OpenSqliteAsync(CancellationToken.None);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = await command.ExecuteScalarAsync();
        return value is long number ? number : throw new InvalidOperationException($"'{sql}' returned {value ?? "null"}");
    }

    public async Task ExecuteAsync(string sql)
    {
        await using SqliteConnection connection = await Connections.OpenSqliteAsync(CancellationToken.None);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<string>> TablesAsync()
    {
        await using SqliteConnection connection = await Connections.OpenSqliteAsync(CancellationToken.None);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        var tables = new List<string>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    public void Dispose()
    {
        ReleaseFile(Connections);
        DeleteFolder(Folder);
    }

    /// <summary>Closes the pooled connections of <paramref name="connections"/>, so its file can be replaced or deleted.</summary>
    public static void ReleaseFile(SqliteConnectionFactory connections)
    {
        using var connection = new SqliteConnection(connections.ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>
    /// Closes the pooled connections of the database at <paramref name="databasePath"/> only. Clearing every pool
    /// (<c>ClearAllPools</c>) would also close the idle connections of hosts that other test classes run in parallel,
    /// which checkpoints and deletes their write-ahead log under them.
    /// </summary>
    public static void ReleaseFile(string databasePath)
    {
        if (SqliteDatabaseLocation.TryResolve($"Data Source={databasePath}", Path.GetDirectoryName(databasePath)!, out SqliteDatabaseLocation? location, out _))
        {
            using var connection = new SqliteConnection(location!.ConnectionString);
            SqliteConnection.ClearPool(connection);
        }
    }

    /// <summary>
    /// Releases the pools of the databases in a stopped host's <paramref name="folder"/> and deletes it. The host's last
    /// connection may still be checkpointing its write-ahead log, so a delete that races it is tried again; a temporary
    /// folder that still resists is left behind rather than failing a test that passed.
    /// </summary>
    public static void ReleaseAndDeleteFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (string database in Directory.EnumerateFiles(folder, "*.db", SearchOption.AllDirectories))
        {
            ReleaseFile(database);
        }

        DeleteFolder(folder);
    }

    /// <summary>
    /// Deletes a test's folder, retrying briefly: a host that was just disposed may still be finishing a write there
    /// (a -wal file, a log), which made the delete fail with "Directory not empty" on a busy machine.
    /// </summary>
    public static void DeleteFolder(string folder)
    {
        for (int attempt = 1; attempt <= 5 && Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(100 * attempt);
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}
