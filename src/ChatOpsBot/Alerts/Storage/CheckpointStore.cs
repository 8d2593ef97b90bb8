using System.Data.Common;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>Where a scheduled job got to and how its last run went (<c>job_checkpoints</c>).</summary>
public sealed record JobCheckpoint(
    string JobName,
    string? Checkpoint,
    long Revision,
    DateTimeOffset? LastRunStartedAt,
    DateTimeOffset? LastRunFinishedAt,
    string? LastRunOutcome,
    string? LastError,
    long RecordsIngested,
    long AlertsRaised);

internal static class CheckpointStore
{
    public const int MaxErrorLength = 1000;

    public static async Task<JobCheckpoint?> GetAsync(DbConnection connection, DbTransaction? transaction, string jobName, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(transaction, $"{Select} WHERE job_name = @job").With("@job", jobName);
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public static async Task<List<JobCheckpoint>> ListAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(null, $"{Select} ORDER BY job_name");
        var list = new List<JobCheckpoint>();
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public static async Task StartRunAsync(DbConnection connection, string jobName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using DbCommand upsert = connection.Command(null, """
            INSERT INTO job_checkpoints (job_name, last_run_started_at, last_run_outcome, updated_at)
            VALUES (@job, @now, 'running', @now)
            ON CONFLICT (job_name) DO UPDATE SET last_run_started_at = @now, last_run_outcome = 'running', updated_at = @now
            """)
            .With("@job", jobName)
            .With("@now", UnixTime.ToMilliseconds(now));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the checkpoint and adds to the counters, in the caller's transaction (with the work it covers).</summary>
    public static async Task AdvanceAsync(
        DbConnection connection,
        DbTransaction transaction,
        string jobName,
        string? checkpoint,
        long recordsIngested,
        long alertsRaised,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        using DbCommand upsert = connection.Command(transaction, """
            INSERT INTO job_checkpoints (job_name, checkpoint_value, revision, records_ingested, alerts_raised, updated_at)
            VALUES (@job, @checkpoint, 1, @records, @alerts, @now)
            ON CONFLICT (job_name) DO UPDATE SET
                checkpoint_value = @checkpoint,
                revision = job_checkpoints.revision + 1,
                records_ingested = job_checkpoints.records_ingested + @records,
                alerts_raised = job_checkpoints.alerts_raised + @alerts,
                updated_at = @now
            """)
            .With("@job", jobName)
            .With("@checkpoint", checkpoint)
            .With("@records", recordsIngested)
            .With("@alerts", alertsRaised)
            .With("@now", UnixTime.ToMilliseconds(now));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task FinishRunAsync(
        DbConnection connection, string jobName, string outcome, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using DbCommand upsert = connection.Command(null, """
            INSERT INTO job_checkpoints (job_name, last_run_finished_at, last_run_outcome, last_error, updated_at)
            VALUES (@job, @now, @outcome, @error, @now)
            ON CONFLICT (job_name) DO UPDATE SET
                last_run_finished_at = @now, last_run_outcome = @outcome, last_error = @error, updated_at = @now
            """)
            .With("@job", jobName)
            .With("@now", UnixTime.ToMilliseconds(now))
            .With("@outcome", outcome)
            .With("@error", FieldText.TruncateOrNull(error, MaxErrorLength));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private const string Select = """
        SELECT job_name, checkpoint_value, revision, last_run_started_at, last_run_finished_at, last_run_outcome, last_error,
               records_ingested, alerts_raised
        FROM job_checkpoints
        """;

    private static JobCheckpoint Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.NullableString(1),
        reader.GetInt64(2),
        reader.NullableTime(3),
        reader.NullableTime(4),
        reader.NullableString(5),
        reader.NullableString(6),
        reader.GetInt64(7),
        reader.GetInt64(8));
}
