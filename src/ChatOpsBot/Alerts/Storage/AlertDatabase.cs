using System.Data;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>
/// Connections and write transactions for the alert tables. A monitor or feed run commits the clicks it stored, the
/// alerts and outbox rows they raised and its checkpoint in one transaction, so a crash leaves either all of a step or
/// none of it: nothing is counted twice and nothing is skipped.
/// </summary>
internal sealed class AlertDatabase(SqliteConnectionFactory connections)
{
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => connections.OpenAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction that holds the write lock from its start (BEGIN IMMEDIATE),
    /// so read-then-write steps cannot interleave with another writer; commits when it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        SqliteConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            SqliteTransaction transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                T result = await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>One autocommitted statement or a few independent ones.</summary>
    public async Task RunAsync(Func<SqliteConnection, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        SqliteConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await work(connection).ConfigureAwait(false);
        }
    }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        SqliteConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection).ConfigureAwait(false);
        }
    }
}

internal static class SqliteReaderExtensions
{
    public static string? NullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableInt64(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static DateTimeOffset Time(this SqliteDataReader reader, int ordinal) => UnixTime.FromMilliseconds(reader.GetInt64(ordinal));

    public static DateTimeOffset? NullableTime(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : UnixTime.FromMilliseconds(reader.GetInt64(ordinal));

    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
