using System.Data.Common;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>
/// Connections and write transactions for the alert tables. A monitor or feed run commits the clicks it stored, the
/// alerts and outbox rows they raised and its checkpoint in one transaction, so a crash leaves either all of a step or
/// none of it: nothing is counted twice and nothing is skipped.
/// </summary>
internal sealed class AlertDatabase(DatabaseConnectionFactory connections)
{
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => connections.OpenAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction that holds the write lock from its start (SQLite: BEGIN
    /// IMMEDIATE; PostgreSQL: the write advisory lock, see <see cref="DatabaseConnectionFactory.BeginWriteTransactionAsync"/>),
    /// so read-then-write steps cannot interleave with another writer on any instance; commits when it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            DbTransaction transaction = await connections.BeginWriteTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                T result = await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>One autocommitted statement or a few independent ones.</summary>
    public async Task RunAsync(Func<DbConnection, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await work(connection).ConfigureAwait(false);
        }
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection).ConfigureAwait(false);
        }
    }
}

internal static class DbReaderExtensions
{
    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableInt64(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) => UnixTime.FromMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? NullableTime(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : UnixTime.FromMilliseconds(reader.GetInt64(ordinal));

    public static DbCommand Command(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value) => command.AddParameter(name, value);
}
