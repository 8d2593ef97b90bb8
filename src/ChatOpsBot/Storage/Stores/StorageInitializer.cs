using System.Data.Common;
using ChatOpsBot.Storage.Migrations;

namespace ChatOpsBot.Storage.Stores;

/// <summary>
/// Creates (SQLite), migrates and seeds the database in <see cref="StartingAsync"/>, which the host runs before any
/// hosted service's StartAsync, so Kestrel does not listen and no job runs until the schema is current. Any failure
/// stops the host with the reason (never the connection string).
/// </summary>
internal sealed partial class StorageInitializer(
    DatabaseConnectionFactory connections,
    MigrationRunner runner,
    VipSeeder vipSeeder,
    StorageReadiness readiness,
    ILogger<StorageInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        MigrationRunResult result;
        try
        {
            await connections.PrepareAsync(cancellationToken).ConfigureAwait(false);
            DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await connections.ConfigureDatabaseAsync(connection, cancellationToken).ConfigureAwait(false);
                result = await runner.MigrateAsync(connection, MigrationCatalog.For(connections.Provider), cancellationToken).ConfigureAwait(false);
            }

            await vipSeeder.SeedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException exception)
        {
            throw new InvalidOperationException($"The database '{connections.Description}' cannot be used: {exception.Message}", exception);
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException($"The database '{connections.Description}' cannot be created: {exception.Message}", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new InvalidOperationException($"The database '{connections.Description}' cannot be created: {exception.Message}", exception);
        }
        catch (TimeoutException exception)
        {
            throw new InvalidOperationException($"The database '{connections.Description}' did not answer: {exception.Message}", exception);
        }

        readiness.MarkReady(result.SchemaVersion);
        LogReady(connections.Description, result.SchemaVersion, result.Applied.Count);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The provider's clean-stop work (SQLite folds its write-ahead log back into the file); best effort.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken) =>
        readiness.IsReady ? connections.OnStoppedAsync(cancellationToken) : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} is at schema version {SchemaVersion} ({Applied} migrations applied now)")]
    private partial void LogReady(string database, int schemaVersion, int applied);
}
