using System.Data.Common;
using System.Globalization;

namespace ChatOpsBot.Storage.Migrations;

internal sealed record MigrationRunResult(int SchemaVersion, IReadOnlyList<Migration> Applied);

/// <summary>
/// Brings a database to the schema of this build. Provider-neutral: it speaks ADO.NET and portable SQL, and leaves
/// locking and the dialect tokens to <see cref="IMigrationDialect"/>. Each migration runs in its own transaction
/// together with its <c>schema_migrations</c> row, so a failed script leaves neither half a schema nor a record of it.
/// It refuses (with <see cref="DatabaseSchemaException"/>) a database migrated by a newer build, an applied
/// migration whose script has changed since, and a migration missing below applied ones.
/// </summary>
internal sealed partial class MigrationRunner(IMigrationDialect dialect, TimeProvider timeProvider, ILogger<MigrationRunner> logger)
{
    internal const string HistoryTable = "schema_migrations";

    private const string CreateHistoryTable = $"""
        CREATE TABLE IF NOT EXISTS {HistoryTable} (
            version INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL,
            checksum TEXT NOT NULL
        )
        """;

    public async Task<MigrationRunResult> MigrateAsync(DbConnection connection, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(migrations);

        IAsyncDisposable migrationLock = await dialect.AcquireMigrationLockAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (migrationLock.ConfigureAwait(false))
        {
            await EnsureHistoryTableAsync(connection, cancellationToken).ConfigureAwait(false);
            Dictionary<int, AppliedMigration> applied = await ReadAppliedAsync(connection, transaction: null, cancellationToken).ConfigureAwait(false);
            Verify(applied, migrations);

            var appliedNow = new List<Migration>();
            foreach (Migration migration in migrations)
            {
                if (!applied.ContainsKey(migration.Version) && await ApplyAsync(connection, migration, cancellationToken).ConfigureAwait(false))
                {
                    appliedNow.Add(migration);
                }
            }

            return new MigrationRunResult(migrations.Count, appliedNow);
        }
    }

    private static void Verify(Dictionary<int, AppliedMigration> applied, IReadOnlyList<Migration> migrations)
    {
        if (applied.Count == 0)
        {
            return;
        }

        int newestApplied = applied.Keys.Max();
        if (newestApplied > migrations.Count)
        {
            AppliedMigration newest = applied[newestApplied];
            throw new DatabaseSchemaException(
                $"The database is at schema version {newestApplied} ({newest.Name}), newer than this build, which knows versions up to {migrations.Count}: " +
                "a newer ChatOps bot has migrated it. Run that version, or restore a backup taken before the upgrade. Refusing to start.");
        }

        foreach (Migration migration in migrations)
        {
            if (applied.TryGetValue(migration.Version, out AppliedMigration? record))
            {
                RequireSameChecksum(migration, record.Checksum);
            }
            else if (migration.Version < newestApplied)
            {
                throw new DatabaseSchemaException(
                    $"Migration {migration.Label} has not been applied, but the later version {newestApplied} has: migrations must be applied in order. " +
                    "Refusing to start.");
            }
        }
    }

    private static void RequireSameChecksum(Migration migration, string appliedChecksum)
    {
        if (!string.Equals(migration.Checksum, appliedChecksum, StringComparison.OrdinalIgnoreCase))
        {
            throw new DatabaseSchemaException(
                $"Migration {migration.Label} was applied to this database with checksum {Short(appliedChecksum)}, but this build's script has " +
                $"{Short(migration.Checksum)}: an applied migration was edited. Restore the script as it was released and put the change in a new " +
                "migration. Refusing to start.");
        }
    }

    private static string Short(string checksum) => checksum.Length <= 12 ? checksum : checksum[..12] + "...";

    private async Task EnsureHistoryTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        DbTransaction transaction = await dialect.BeginMigrationTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, transaction, CreateHistoryTable, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <returns>False when another instance applied <paramref name="migration"/> first.</returns>
    private async Task<bool> ApplyAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        long started = timeProvider.GetTimestamp();
        DbTransaction transaction = await dialect.BeginMigrationTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            // Checked again under the write lock: an instance that started at the same moment may have won.
            Dictionary<int, AppliedMigration> applied = await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (applied.TryGetValue(migration.Version, out AppliedMigration? record))
            {
                RequireSameChecksum(migration, record.Checksum);
                return false;
            }

            try
            {
                await ExecuteAsync(connection, transaction, dialect.Render(migration.Script), cancellationToken).ConfigureAwait(false);
            }
            catch (DbException exception)
            {
                throw new DatabaseSchemaException($"Migration {migration.Label} failed and was rolled back: {exception.Message}", exception);
            }

            using (DbCommand insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = $"INSERT INTO {HistoryTable} (version, name, applied_at, checksum) VALUES (@version, @name, @appliedAt, @checksum)";
                insert.AddParameter("@version", migration.Version);
                insert.AddParameter("@name", migration.Name);
                insert.AddParameter("@appliedAt", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
                insert.AddParameter("@checksum", migration.Checksum);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        long elapsedMilliseconds = (long)timeProvider.GetElapsedTime(started).TotalMilliseconds;
        LogApplied(migration.Version, migration.Name, elapsedMilliseconds);
        return true;
    }

    private static async Task<Dictionary<int, AppliedMigration>> ReadAppliedAsync(
        DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT version, name, checksum FROM {HistoryTable}";
        var applied = new Dictionary<int, AppliedMigration>();
        DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                int version = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                applied[version] = new AppliedMigration(reader.GetString(1), reader.GetString(2));
            }
        }

        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migration {Version} ({Name}) in {ElapsedMilliseconds} ms")]
    private partial void LogApplied(int version, string name, long elapsedMilliseconds);

    private sealed record AppliedMigration(string Name, string Checksum);
}
