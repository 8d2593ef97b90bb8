using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Postgres;
using ChatOpsBot.Storage.Sqlite;
using ChatOpsBot.Tests.Storage;

namespace ChatOpsBot.Tests.Cluster;

/// <summary>
/// A second, independent connection factory over a <see cref="StoreDatabase"/>: what another bot instance would open
/// (its own pool, its own data source), so a store built on each stands for two instances sharing the database.
/// </summary>
internal sealed class SecondInstance : IAsyncDisposable
{
    private readonly PostgresConnectionFactory? _postgres;

    private SecondInstance(StoreDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider == StorageProvider.Postgres)
        {
            _postgres = new PostgresConnectionFactory(database.Options);
            Connections = _postgres;
        }
        else
        {
            // Same file; the pool is keyed by connection string, so the database's own dispose releases it too.
            Connections = new SqliteConnectionFactory(database.Options, Path.GetTempPath());
        }
    }

    public DatabaseConnectionFactory Connections { get; }

    public static SecondInstance Open(StoreDatabase database) => new(database);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
