using ChatOpsBot.Storage.Migrations;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Storage.Sqlite;

/// <summary>
/// Creates, migrates and seeds the database in <see cref="StartingAsync"/>, which the host runs before any hosted
/// service's StartAsync, so Kestrel does not listen and no job runs until the schema is current. Any failure
/// stops the host with the reason.
/// </summary>
internal sealed partial class SqliteStorageInitializer(
    SqliteConnectionFactory connections,
    MigrationRunner runner,
    SqliteVipSeeder vipSeeder,
    StorageReadiness readiness,
    ILogger<SqliteStorageInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        MigrationRunResult result;
        try
        {
            connections.EnsureDatabaseFile();
            SqliteConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await UseWriteAheadLogAsync(connection, cancellationToken).ConfigureAwait(false);
                result = await runner.MigrateAsync(connection, MigrationCatalog.Embedded, cancellationToken).ConfigureAwait(false);
            }

            await vipSeeder.SeedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException exception)
        {
            throw new InvalidOperationException($"The database '{connections.DatabasePath}' cannot be used: {exception.Message}", exception);
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException($"The database '{connections.DatabasePath}' cannot be created: {exception.Message}", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new InvalidOperationException($"The database '{connections.DatabasePath}' cannot be created: {exception.Message}", exception);
        }

        readiness.MarkReady(result.SchemaVersion);
        LogReady(connections.DatabasePath, result.SchemaVersion, result.Applied.Count);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Folds the write-ahead log back into the database file after a clean stop, so the file alone is a complete
    /// copy for a backup. Best effort: a failure here must not turn a clean stop into a crash.
    /// </summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (!readiness.IsReady)
        {
            return;
        }

        try
        {
            SqliteConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SqliteException exception)
        {
            LogCheckpointFailed(connections.DatabasePath, exception);
        }
    }

    // WAL lets readers (health checks, status commands) run while a writer commits. The mode is stored in the file.
    private async Task UseWriteAheadLogAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        string? mode = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            LogNoWriteAheadLog(connections.DatabasePath, mode ?? "unknown");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Path} is at schema version {SchemaVersion} ({Applied} migrations applied now)")]
    private partial void LogReady(string path, int schemaVersion, int applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database {Path}: the write-ahead log could not be checkpointed at shutdown")]
    private partial void LogCheckpointFailed(string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Database {Path} could not switch to WAL journaling (journal mode is {Mode}); readers will wait for writers. Is it on a network file system?")]
    private partial void LogNoWriteAheadLog(string path, string mode);
}
