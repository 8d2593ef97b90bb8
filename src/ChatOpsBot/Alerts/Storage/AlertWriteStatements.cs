using System.Data;
using System.Data.Common;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>
/// The statements that turn a detection into an alert (look up the subject's newest alert, insert an alert, fold a
/// repeat, add outbox rows), each created once and run again with new values, inside one transaction. A monitor run
/// raises up to a thousand alerts in one transaction; building and compiling four statements for each was a third of
/// its detection time.
/// </summary>
/// <param name="prepare">Prepare each statement when first used: worth it when a pass runs it many times (on PostgreSQL
/// preparing is a round trip; SQLite compiles on first use either way).</param>
internal sealed class AlertWriteStatements(DbConnection connection, DbTransaction transaction, bool prepare) : IDisposable
{
    private DbCommand? _latest;
    private DbCommand? _insert;
    private DbCommand? _recordRepeat;
    private DbCommand? _addDelivery;

    /// <summary>The newest alert (episode) about <paramref name="subjectKey"/>.</summary>
    public async Task<AlertRecord?> LatestAsync(string kind, string subjectKey, CancellationToken cancellationToken)
    {
        _latest ??= await CreateAsync($"""
            SELECT {AlertStore.AlertColumns} FROM alerts WHERE kind = @kind AND subject_key = @subject
            ORDER BY raised_at DESC, alert_id LIMIT 1
            """,
            [("@kind", DbType.String), ("@subject", DbType.String)],
            cancellationToken).ConfigureAwait(false);
        _latest.Parameters[0].Value = kind;
        _latest.Parameters[1].Value = subjectKey;
        return await AlertStore.ReadOneAsync(_latest, cancellationToken).ConfigureAwait(false);
    }

    public async Task InsertAsync(AlertRecord alert, CancellationToken cancellationToken)
    {
        _insert ??= await CreateAsync("""
            INSERT INTO alerts (alert_id, kind, subject_key, status, payload_json, raised_at, updated_at, expires_at, suppressed_repeats)
            VALUES (@id, @kind, @subject, @status, @payload, @raised, @updated, @expires, 0)
            """,
            [
                ("@id", DbType.String), ("@kind", DbType.String), ("@subject", DbType.String), ("@status", DbType.String),
                ("@payload", DbType.String), ("@raised", DbType.Int64), ("@updated", DbType.Int64), ("@expires", DbType.Int64),
            ],
            cancellationToken).ConfigureAwait(false);
        DbParameterCollection values = _insert.Parameters;
        values[0].Value = alert.AlertId;
        values[1].Value = alert.Kind;
        values[2].Value = alert.SubjectKey;
        values[3].Value = alert.Status;
        values[4].Value = AlertStore.Serialize(alert.Payload);
        values[5].Value = UnixTime.ToMilliseconds(alert.RaisedAt);
        values[6].Value = UnixTime.ToMilliseconds(alert.UpdatedAt);
        values[7].Value = UnixTime.ToMilliseconds(alert.ExpiresAt);
        await _insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Folds a repeat into an alert: new payload, one more suppressed repeat.</summary>
    public async Task RecordRepeatAsync(string alertId, AlertPayload payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _recordRepeat ??= await CreateAsync("""
            UPDATE alerts SET payload_json = @payload, updated_at = @now, last_repeat_at = @now, suppressed_repeats = suppressed_repeats + 1
            WHERE alert_id = @id
            """,
            [("@id", DbType.String), ("@payload", DbType.String), ("@now", DbType.Int64)],
            cancellationToken).ConfigureAwait(false);
        _recordRepeat.Parameters[0].Value = alertId;
        _recordRepeat.Parameters[1].Value = AlertStore.Serialize(payload);
        _recordRepeat.Parameters[2].Value = UnixTime.ToMilliseconds(now);
        await _recordRepeat.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One pending outbox row per target (a row that exists already is left as it is).</summary>
    public async Task AddDeliveriesAsync(string alertId, IEnumerable<string> targets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _addDelivery ??= await CreateAsync("""
            INSERT INTO alert_deliveries (alert_id, target, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES (@id, @target, 'pending', 0, @now, @now, @now)
            ON CONFLICT (alert_id, target) DO NOTHING
            """,
            [("@id", DbType.String), ("@target", DbType.String), ("@now", DbType.Int64)],
            cancellationToken).ConfigureAwait(false);
        _addDelivery.Parameters[0].Value = alertId;
        _addDelivery.Parameters[2].Value = UnixTime.ToMilliseconds(now);
        foreach (string target in targets)
        {
            _addDelivery.Parameters[1].Value = target;
            await _addDelivery.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _latest?.Dispose();
        _insert?.Dispose();
        _recordRepeat?.Dispose();
        _addDelivery?.Dispose();
    }

    private async Task<DbCommand> CreateAsync(string sql, (string Name, DbType Type)[] parameters, CancellationToken cancellationToken)
    {
        DbCommand command = connection.Command(transaction, sql);
        foreach ((string name, DbType type) in parameters)
        {
            command.AddParameter(name, type);
        }

        if (prepare)
        {
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        return command;
    }
}
