using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Storage.Sqlite;

/// <summary>
/// Opens pooled connections to the bot's SQLite file with the per-connection settings every store relies on:
/// foreign keys enforced, a busy timeout so concurrent writers wait instead of failing, and the chosen durability.
/// </summary>
internal sealed partial class SqliteConnectionFactory : DatabaseConnectionFactory
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Page cache per connection, in KiB (SQLite's negative cache_size), a ceiling that fills only as pages are touched.
    /// SQLite's default of 2 MB made the URL monitor's chunk transactions (tens of thousands of clicks into five
    /// B-trees) spill and re-read pages: 64 MB cut the CPU time of storing a 100,000-click run by about a third.
    /// </summary>
    internal const int CacheSizeKib = 65_536;

    private readonly string _connectionPragmas;
    private readonly ILogger _logger;
    private readonly Lazy<DbDataSource> _dataSource;

    public SqliteConnectionFactory(StorageOptions options, string contentRootPath, ILogger<SqliteConnectionFactory>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!SqliteDatabaseLocation.TryResolve(options.ConnectionString, contentRootPath, out SqliteDatabaseLocation? location, out string? error))
        {
            throw new InvalidOperationException(error);
        }

        ConnectionString = location!.ConnectionString;
        DatabasePath = location.DatabasePath;
        string synchronous = options.SqliteDurability == SqliteDurability.Full ? "FULL" : "NORMAL";
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {options.BusyTimeoutSeconds * 1000}; PRAGMA synchronous = {synchronous}; PRAGMA cache_size = -{CacheSizeKib}; PRAGMA mmap_size = {(long)options.SqliteMemoryMapMegabytes * 1024 * 1024};");
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _dataSource = new Lazy<DbDataSource>(() => SqliteFactory.Instance.CreateDataSource(ConnectionString));
    }

    public string DatabasePath { get; }

    /// <summary>The resolved connection string (absolute path); it is also the key of the connection pool.</summary>
    internal string ConnectionString { get; }

    public override StorageProvider Provider => StorageProvider.Sqlite;

    public override string Description => DatabasePath;

    public override DbDataSource DataSource => _dataSource.Value;

    public override string ForUpdateSkipLocked => string.Empty;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await OpenSqliteAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>BEGIN IMMEDIATE: the write lock from the first statement, so no other writer can interleave.</summary>
    public override Task<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false));
    }

    public override Task PrepareAsync(CancellationToken cancellationToken)
    {
        EnsureDatabaseFile();
        return Task.CompletedTask;
    }

    // WAL lets readers (health checks, status commands) run while a writer commits. The mode is stored in the file.
    public override async Task ConfigureDatabaseAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        string? mode = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            LogNoWriteAheadLog(DatabasePath, mode ?? "unknown");
        }
    }

    /// <summary>
    /// Folds the write-ahead log back into the database file after a clean stop, so the file alone is a complete
    /// copy for a backup. Best effort: a failure here must not turn a clean stop into a crash.
    /// </summary>
    public override async Task OnStoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            SqliteConnection connection = await OpenSqliteAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SqliteException exception)
        {
            LogCheckpointFailed(DatabasePath, exception);
        }
    }

    public async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creates the database's folder and an empty database file readable by this user only, when they do not exist
    /// yet: the file holds conversation references and the audit trail. SQLite gives its -wal and -shm files the
    /// main file's permissions. Existing folders and files keep the permissions the operator gave them.
    /// </summary>
    public void EnsureDatabaseFile()
    {
        string directory = Path.GetDirectoryName(DatabasePath)!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnlyDirectory);
            }
        }

        if (File.Exists(DatabasePath))
        {
            return;
        }

        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = OwnerOnlyFile;
        }

        try
        {
            using var file = new FileStream(DatabasePath, create);
        }
        catch (IOException) when (File.Exists(DatabasePath))
        {
            // Another instance created it first; an empty file is a valid empty database either way.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database {Path}: the write-ahead log could not be checkpointed at shutdown")]
    private partial void LogCheckpointFailed(string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Database {Path} could not switch to WAL journaling (journal mode is {Mode}); readers will wait for writers. Is it on a network file system?")]
    private partial void LogNoWriteAheadLog(string path, string mode);
}
