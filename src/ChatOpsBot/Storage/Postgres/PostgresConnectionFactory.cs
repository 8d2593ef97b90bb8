using System.Data;
using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace ChatOpsBot.Storage.Postgres;

/// <summary>
/// Connections to the bot's PostgreSQL database through one pooled <see cref="NpgsqlDataSource"/>, shared with
/// Quartz's job store.
/// </summary>
internal sealed class PostgresConnectionFactory : DatabaseConnectionFactory, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// The transaction-level advisory lock every write transaction takes first (<see cref="BeginWriteTransactionAsync"/>).
    /// A fixed 64-bit key: 'chatops' 'w' in ASCII. Distinct from <see cref="PostgresMigrationDialect.MigrationLockKey"/>.
    /// </summary>
    public const long WriteLockKey = 0x63_68_61_74_6f_70_73_77;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _setLockTimeout;

    public PostgresConnectionFactory(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!PostgresDatabaseLocation.TryResolve(options.ConnectionString, out PostgresDatabaseLocation? location, out string? error))
        {
            throw new InvalidOperationException(error);
        }

        Description = location!.Description;
        ConnectionString = location.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        _setLockTimeout = string.Create(CultureInfo.InvariantCulture, $"SET LOCAL lock_timeout = {options.BusyTimeoutSeconds * 1000}");
    }

    public override StorageProvider Provider => StorageProvider.Postgres;

    public override string Description { get; }

    /// <summary>The checked connection string; it may hold a password, so it is never logged.</summary>
    internal string ConnectionString { get; }

    public override DbDataSource DataSource => _dataSource;

    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// READ COMMITTED plus <c>pg_advisory_xact_lock(WriteLockKey)</c> as the first statement: write transactions
    /// run one at a time across every instance, as they do on SQLite, and each of their statements sees what the
    /// previous holder committed. Chosen over SERIALIZABLE-with-retry because the callers' work (a monitor run,
    /// an alert raised with its outbox rows) is not cheap to repeat and these transactions are few and short.
    /// <c>lock_timeout</c> is <see cref="StorageOptions.BusyTimeoutSeconds"/>, as SQLite's busy timeout.
    /// </summary>
    public override async Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        DbTransaction transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        try
        {
            using DbCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = _setLockTimeout;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.CommandText = "SELECT pg_advisory_xact_lock(@key)";
            command.AddParameter("@key", WriteLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
