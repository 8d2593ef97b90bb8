using System.Globalization;
using Npgsql;

namespace ChatOpsBot.TestSupport;

/// <summary>
/// A fresh, uniquely named database on the PostgreSQL test server (<see cref="PostgresTestServer"/>), dropped with
/// its connections on dispose. One per test or test class, so tests never see each other's rows.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private PostgresTestDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The server's connection string with <c>Database</c> set to this database.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresTestServer.RequireConnectionString()) { Pooling = false };
        string name = string.Create(CultureInfo.InvariantCulture, $"chatops_test_{Guid.NewGuid():N}");
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(PostgresTestServer.RequireConnectionString()) { Database = name };
        return new PostgresTestDatabase(server.ConnectionString, name, database.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        // FORCE ends the sessions still connected (a test host's pool, a killed instance's leftovers).
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
