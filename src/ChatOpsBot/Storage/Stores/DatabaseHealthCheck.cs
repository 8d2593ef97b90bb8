using System.Data.Common;
using System.Globalization;
using ChatOpsBot.Storage.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOpsBot.Storage.Stores;

/// <summary>
/// Ready when start-up migrations have finished and the database answers a query of its own schema at the expected
/// version. Descriptions are for logs; <c>/readyz</c> shows only the status word.
/// </summary>
internal sealed class DatabaseHealthCheck(DatabaseConnectionFactory connections, StorageReadiness readiness) : IHealthCheck
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
            DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using DbCommand command = connection.CreateCommand();
                command.CommandText = $"SELECT MAX(version) FROM {MigrationRunner.HistoryTable}";
                object? version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                // BIGINT on SQLite, INTEGER (int) on PostgreSQL.
                return version is long or int && Convert.ToInt64(version, CultureInfo.InvariantCulture) == readiness.SchemaVersion
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
