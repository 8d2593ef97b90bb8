using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Storage.Sqlite;

/// <summary>
/// Opens pooled connections to the bot's SQLite file with the per-connection settings every store relies on:
/// foreign keys enforced, a busy timeout so concurrent writers wait instead of failing, and the chosen durability.
/// </summary>
internal sealed class SqliteConnectionFactory
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

    public SqliteConnectionFactory(StorageOptions options, string contentRootPath)
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
            $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {options.BusyTimeoutSeconds * 1000}; PRAGMA synchronous = {synchronous}; PRAGMA cache_size = -{CacheSizeKib};");
    }

    public string DatabasePath { get; }

    /// <summary>The resolved connection string (absolute path); it is also the key of the connection pool.</summary>
    internal string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
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
}
