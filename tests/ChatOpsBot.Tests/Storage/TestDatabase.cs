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
        await using SqliteConnection connection = await Connections.OpenAsync(CancellationToken.None);
        return await Runner().MigrateAsync(connection, migrations, CancellationToken.None);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using SqliteConnection connection = await Connections.OpenAsync(CancellationToken.None);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = await command.ExecuteScalarAsync();
        return value is long number ? number : throw new InvalidOperationException($"'{sql}' returned {value ?? "null"}");
    }

    public async Task ExecuteAsync(string sql)
    {
        await using SqliteConnection connection = await Connections.OpenAsync(CancellationToken.None);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<string>> TablesAsync()
    {
        await using SqliteConnection connection = await Connections.OpenAsync(CancellationToken.None);
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

    public static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
