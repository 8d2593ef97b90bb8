using System.Data;
using System.Data.Common;
using ChatOpsBot.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Storage.Sqlite;

internal sealed class SqliteMigrationDialect : IMigrationDialect
{
    public string Render(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        // Only "INTEGER PRIMARY KEY" makes the column SQLite's rowid, which the engine assigns on insert.
        return script.Replace("{{identity_primary_key}}", "INTEGER PRIMARY KEY", StringComparison.Ordinal);
    }

    /// <summary>
    /// No separate lock: SQLite admits one writer at a time, and each migration transaction starts with
    /// BEGIN IMMEDIATE, so concurrent starters queue behind the busy timeout and re-check under the write lock.
    /// </summary>
    public Task<IAsyncDisposable> AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    public Task<DbTransaction> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;
        return Task.FromResult<DbTransaction>(sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false));
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
