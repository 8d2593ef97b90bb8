using System.Data.Common;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Migrations;
using ChatOpsBot.Storage.Postgres;
using ChatOpsBot.Storage.Sqlite;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsBot.Tests.Storage;

/// <summary>
/// A database of either provider for the store suites: a SQLite file in a temporary folder (<see cref="TestDatabase"/>)
/// or a fresh database on the PostgreSQL test server (<see cref="PostgresTestDatabase"/>); dropped on dispose.
/// </summary>
internal sealed class StoreDatabase : IAsyncDisposable
{
    private readonly TestDatabase? _sqlite;
    private readonly PostgresTestDatabase? _postgres;
    private readonly PostgresConnectionFactory? _postgresConnections;

    private StoreDatabase(TestDatabase sqlite)
    {
        _sqlite = sqlite;
        Options = sqlite.Options;
        Connections = sqlite.Connections;
    }

    private StoreDatabase(PostgresTestDatabase postgres)
    {
        _postgres = postgres;
        Options = new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = postgres.ConnectionString };
        _postgresConnections = new PostgresConnectionFactory(Options);
        Connections = _postgresConnections;
    }

    public StorageProvider Provider => Connections.Provider;

    public StorageOptions Options { get; }

    public DatabaseConnectionFactory Connections { get; }

    /// <summary>Starts at a whole millisecond, the precision the stores keep.</summary>
    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 30, 0, 125, TimeSpan.Zero));

    /// <summary>The PostgreSQL database's own connection string (for a second factory or a host); null on SQLite.</summary>
    public string? PostgresConnectionString => _postgres?.ConnectionString;

    public static async Task<StoreDatabase> CreateEmptyAsync(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => new StoreDatabase(TestDatabase.CreateEmpty()),
        StorageProvider.Postgres => new StoreDatabase(await PostgresTestDatabase.CreateAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>A database migrated to this build's schema for its provider, as the host's start-up leaves it.</summary>
    public static async Task<StoreDatabase> CreateMigratedAsync(StorageProvider provider)
    {
        StoreDatabase database = await CreateEmptyAsync(provider);
        await database.MigrateAsync(MigrationCatalog.For(provider));
        return database;
    }

    public IMigrationDialect Dialect() => Provider == StorageProvider.Postgres ? new PostgresMigrationDialect() : new SqliteMigrationDialect();

    public MigrationRunner Runner() => new(Dialect(), Time, NullLogger<MigrationRunner>.Instance);

    public async Task<MigrationRunResult> MigrateAsync(IReadOnlyList<Migration> migrations)
    {
        await using DbConnection connection = await Connections.OpenAsync(CancellationToken.None);
        return await Runner().MigrateAsync(connection, migrations, CancellationToken.None);
    }

    /// <summary>A single number (COUNT, MAX, a BIGINT column); integers of any width come back as long.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using DbConnection connection = await Connections.OpenAsync(CancellationToken.None);
        using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = await command.ExecuteScalarAsync();
        return value is long or int or short ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"'{sql}' returned {value ?? "null"}");
    }

    public async Task ExecuteAsync(string sql)
    {
        await using DbConnection connection = await Connections.OpenAsync(CancellationToken.None);
        using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The user tables, lower case (PostgreSQL folds unquoted names), sorted.</summary>
    public async Task<IReadOnlyList<string>> TablesAsync()
    {
        await using DbConnection connection = await Connections.OpenAsync(CancellationToken.None);
        using DbCommand command = connection.CreateCommand();
        command.CommandText = Provider == StorageProvider.Postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var tables = new List<string>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0).ToLowerInvariant());
        }

        tables.Sort(StringComparer.Ordinal);
        return tables;
    }

    public async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        if (_postgresConnections is not null)
        {
            await _postgresConnections.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
