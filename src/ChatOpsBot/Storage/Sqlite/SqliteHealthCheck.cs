using System.Data.Common;
using ChatOpsBot.Storage.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOpsBot.Storage.Sqlite;

/// <summary>
/// Ready when start-up migrations have finished and the database answers a query of its own schema at the expected
/// version. Descriptions are for logs; <c>/readyz</c> shows only the status word.
/// </summary>
internal sealed class SqliteHealthCheck(SqliteConnectionFactory connections, StorageReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!readiness.IsReady)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database has not been migrated yet.");
        }

        try
        {
            SqliteConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using SqliteCommand command = connection.CreateCommand();
                command.CommandText = $"SELECT MAX(version) FROM {MigrationRunner.HistoryTable}";
                object? version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return version is long current && current == readiness.SchemaVersion
                    ? HealthCheckResult.Healthy()
                    : new HealthCheckResult(context.Registration.FailureStatus, $"The database schema is at version {version}, expected {readiness.SchemaVersion}.");
            }
        }
        catch (DbException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database cannot be queried.", exception);
        }
    }
}
