using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>One outbox row.</summary>
public sealed record AlertDelivery(
    string AlertId,
    string Target,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? ClaimedBy,
    DateTimeOffset? ClaimExpiresAt,
    DateTimeOffset? SendStartedAt,
    DateTimeOffset? SentAt,
    string? RemoteMessageId,
    string? LastError,
    DateTimeOffset CreatedAt);

/// <summary>The alert state (<c>alerts</c>) and the outbox (<c>alert_deliveries</c>), inside the caller's connection or
/// transaction.</summary>
internal static class AlertStore
{
    public const int MaxPayloadChars = 256 * 1024;
    public const int MaxActorLength = 256;
    public const int MaxDeliveryErrorLength = 500;

    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    internal const string AlertColumns = """
        alert_id, kind, subject_key, status, payload_json, raised_at, updated_at, expires_at,
        acknowledged_by, acknowledged_by_name, acknowledged_at, snoozed_by, snoozed_by_name, snoozed_at, snoozed_until,
        suppressed_repeats, last_repeat_at
        """;

    private const string DeliveryColumns = """
        alert_id, target, status, attempts, next_attempt_at, claimed_by, claim_expires_at, send_started_at, sent_at,
        remote_message_id, last_error, created_at
        """;

    public static async Task<AlertRecord?> GetAsync(DbConnection connection, DbTransaction? transaction, string alertId, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(transaction, $"SELECT {AlertColumns} FROM alerts WHERE alert_id = @id").With("@id", alertId);
        return await ReadOneAsync(select, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<List<AlertRecord>> RecentAsync(DbConnection connection, int limit, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(null, $"SELECT {AlertColumns} FROM alerts ORDER BY raised_at DESC, alert_id LIMIT @limit")
            .With("@limit", limit);
        var list = new List<AlertRecord>();
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Acknowledges an alert that is not acknowledged yet; false when there is no such alert or it already is.</summary>
    public static async Task<bool> AcknowledgeAsync(
        DbConnection connection, DbTransaction transaction, string alertId, AlertActor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using DbCommand update = connection.Command(transaction, """
            UPDATE alerts SET status = 'acknowledged', acknowledged_by = @by, acknowledged_by_name = @name, acknowledged_at = @now, updated_at = @now
            WHERE alert_id = @id AND status <> 'acknowledged'
            """)
            .With("@id", alertId)
            .With("@by", FieldText.Truncate(actor.Id, MaxActorLength))
            .With("@name", FieldText.TruncateOrNull(actor.Name, MaxActorLength))
            .With("@now", UnixTime.ToMilliseconds(now));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Snoozes an alert that is not acknowledged (a snooze of a snoozed alert starts again from now).</summary>
    public static async Task<bool> SnoozeAsync(
        DbConnection connection,
        DbTransaction transaction,
        string alertId,
        AlertActor actor,
        DateTimeOffset now,
        DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        using DbCommand update = connection.Command(transaction, """
            UPDATE alerts SET status = 'snoozed', snoozed_by = @by, snoozed_by_name = @name, snoozed_at = @now, snoozed_until = @until, updated_at = @now
            WHERE alert_id = @id AND status <> 'acknowledged'
            """)
            .With("@id", alertId)
            .With("@by", FieldText.Truncate(actor.Id, MaxActorLength))
            .With("@name", FieldText.TruncateOrNull(actor.Name, MaxActorLength))
            .With("@now", UnixTime.ToMilliseconds(now))
            .With("@until", UnixTime.ToMilliseconds(until));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async Task<List<AlertDelivery>> DeliveriesAsync(
        DbConnection connection, string? alertId, string? status, DateTimeOffset? dueBy, int limit, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        using DbCommand select = connection.CreateCommand();
        if (alertId is not null)
        {
            where.Add("alert_id = @id");
            select.With("@id", alertId);
        }

        if (status is not null)
        {
            where.Add("status = @status");
            select.With("@status", status);
        }

        if (dueBy is { } due)
        {
            where.Add(status == DeliveryStatuses.Sending ? "claim_expires_at <= @due" : "next_attempt_at <= @due");
            select.With("@due", UnixTime.ToMilliseconds(due));
        }

        select.With("@limit", limit);
        select.CommandText = $"""
            SELECT {DeliveryColumns} FROM alert_deliveries
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY next_attempt_at, alert_id, target
            LIMIT @limit
            """;
        var list = new List<AlertDelivery>();
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadDelivery(reader));
        }

        return list;
    }

    /// <summary>
    /// Takes a due pending delivery for <paramref name="owner"/> and records, durably, that a send is starting: true for
    /// exactly one caller. Its row then says "sending" until the outcome is recorded, so a crash in between is
    /// recognisable afterwards and the send is not repeated blindly.
    /// </summary>
    public static async Task<bool> ClaimAsync(
        DbConnection connection, AlertDelivery delivery, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        using DbCommand update = connection.Command(null, """
            UPDATE alert_deliveries
            SET status = 'sending', claimed_by = @owner, claim_expires_at = @lease, send_started_at = @now, attempts = attempts + 1, updated_at = @now
            WHERE alert_id = @id AND target = @target AND status = 'pending' AND next_attempt_at <= @now
            """)
            .With("@id", delivery.AlertId)
            .With("@target", delivery.Target)
            .With("@owner", owner)
            .With("@now", UnixTime.ToMilliseconds(now))
            .With("@lease", UnixTime.ToMilliseconds(leaseUntil));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Takes over an abandoned "sending" row (its lease has run out) for reconciliation; true for one caller.</summary>
    public static async Task<bool> ClaimAbandonedAsync(
        DbConnection connection, AlertDelivery delivery, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        using DbCommand update = connection.Command(null, """
            UPDATE alert_deliveries SET claimed_by = @owner, claim_expires_at = @lease, updated_at = @now
            WHERE alert_id = @id AND target = @target AND status = 'sending' AND claim_expires_at <= @now
              AND (claimed_by = @previous OR (claimed_by IS NULL AND @previous IS NULL))
            """)
            .With("@id", delivery.AlertId)
            .With("@target", delivery.Target)
            .With("@owner", owner)
            .With("@previous", delivery.ClaimedBy)
            .With("@now", UnixTime.ToMilliseconds(now))
            .With("@lease", UnixTime.ToMilliseconds(leaseUntil));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Records the outcome of a send this owner claimed. A late success still counts if someone reconciled the
    /// row meanwhile (it did arrive); anything else only applies while the claim is ours. <paramref name="shows"/> is the
    /// alert version (its <c>updated_at</c>) the sent message shows, kept as the row's <c>updated_at</c> so a later change
    /// of the alert is seen as a stale message (<see cref="StaleMessagesAsync"/>).</summary>
    public static async Task<bool> CompleteAsync(
        DbConnection connection,
        AlertDelivery delivery,
        string owner,
        string status,
        DateTimeOffset? nextAttemptAt,
        string? remoteMessageId,
        string? error,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        DateTimeOffset? shows = null)
    {
        string guard = status == DeliveryStatuses.Sent ? "(claimed_by = @owner OR status <> 'sent')" : "claimed_by = @owner AND status = 'sending'";
        using DbCommand update = connection.Command(null, $"""
            UPDATE alert_deliveries
            SET status = @status,
                next_attempt_at = COALESCE(@next, next_attempt_at),
                sent_at = CASE WHEN @status = 'sent' THEN @now ELSE sent_at END,
                remote_message_id = COALESCE(@remote, remote_message_id),
                last_error = @error,
                claimed_by = NULL,
                claim_expires_at = NULL,
                updated_at = CASE WHEN @status = 'sent' THEN COALESCE(@shows, @now) ELSE @now END
            WHERE alert_id = @id AND target = @target AND {guard}
            """)
            .With("@shows", shows is { } version ? UnixTime.ToMilliseconds(version) : null)
            .With("@id", delivery.AlertId)
            .With("@target", delivery.Target)
            .With("@owner", owner)
            .With("@status", status)
            .With("@next", nextAttemptAt is { } next ? UnixTime.ToMilliseconds(next) : null)
            .With("@remote", FieldText.TruncateOrNull(remoteMessageId, 512))
            .With("@error", FieldText.TruncateOrNull(error, MaxDeliveryErrorLength))
            .With("@now", UnixTime.ToMilliseconds(now));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Sent deliveries whose message shows an older state of a current alert: the alert changed (a repeat folded in,
    /// acknowledged, snoozed) or whose snooze ended after the row last changed. A sent row's <c>updated_at</c> is the
    /// alert version its message shows (<see cref="AlertRecord.ShownVersionAt"/>): set when it was recorded sent, and
    /// moved on by <see cref="MarkMessageShowsAsync"/> once the message was updated.
    /// </summary>
    public static async Task<List<AlertDelivery>> StaleMessagesAsync(
        DbConnection connection, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(null, $"""
            SELECT {string.Join(", ", DeliveryColumns.Split(',', StringSplitOptions.TrimEntries).Select(c => "d." + c))}
            FROM alert_deliveries d JOIN alerts a ON a.alert_id = d.alert_id
            WHERE d.status = 'sent' AND d.remote_message_id IS NOT NULL AND a.expires_at > @now
              AND (a.updated_at > d.updated_at OR (a.snoozed_until <= @now AND a.snoozed_until > d.updated_at))
            ORDER BY a.updated_at, d.alert_id, d.target
            LIMIT @limit
            """)
            .With("@now", UnixTime.ToMilliseconds(now))
            .With("@limit", limit);
        var list = new List<AlertDelivery>();
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadDelivery(reader));
        }

        return list;
    }

    /// <summary>Records that a sent delivery's message now shows the alert as of <paramref name="alertVersion"/>.</summary>
    public static async Task MarkMessageShowsAsync(
        DbConnection connection, AlertDelivery delivery, DateTimeOffset alertVersion, CancellationToken cancellationToken)
    {
        using DbCommand update = connection.Command(null, """
            UPDATE alert_deliveries SET updated_at = @version
            WHERE alert_id = @id AND target = @target AND status = 'sent' AND updated_at < @version
            """)
            .With("@id", delivery.AlertId)
            .With("@target", delivery.Target)
            .With("@version", UnixTime.ToMilliseconds(alertVersion));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Dictionary<string, long>> CountDeliveriesByStatusAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(null, "SELECT status, COUNT(*) FROM alert_deliveries GROUP BY status");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public static async Task<long> CountOpenAlertsAsync(DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(null, "SELECT COUNT(*) FROM alerts WHERE status = 'open' AND expires_at > @now")
            .With("@now", UnixTime.ToMilliseconds(now));
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Deletes alerts (and, by cascade, their deliveries) that expired before <paramref name="cutoff"/>.</summary>
    public static async Task<int> PurgeExpiredAsync(DbConnection connection, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        using DbCommand delete = connection.Command(null, "DELETE FROM alerts WHERE expires_at < @cutoff")
            .With("@cutoff", UnixTime.ToMilliseconds(cutoff));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static string Serialize(AlertPayload payload)
    {
        string json = JsonSerializer.Serialize(payload, PayloadJson);
        if (json.Length > MaxPayloadChars)
        {
            // Only the exposure list can grow this large; keep the newest entries that fit.
            int keep = Math.Max(1, payload.Exposed.Count * MaxPayloadChars / json.Length / 2);
            json = JsonSerializer.Serialize(payload with { Exposed = [.. payload.Exposed.Take(keep)] }, PayloadJson);
        }

        return json;
    }

    internal static async Task<AlertRecord?> ReadOneAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static AlertRecord Read(DbDataReader reader)
    {
        AlertPayload payload = JsonSerializer.Deserialize<AlertPayload>(reader.GetString(4), PayloadJson)
            ?? throw new InvalidOperationException($"Alert {reader.GetString(0)} has an empty payload.");
        return new AlertRecord(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            payload,
            reader.Time(5),
            reader.Time(6),
            reader.Time(7),
            reader.NullableString(8) is string ackBy ? new AlertActor(ackBy, reader.NullableString(9)) : null,
            reader.NullableTime(10),
            reader.NullableString(11) is string snoozeBy ? new AlertActor(snoozeBy, reader.NullableString(12)) : null,
            reader.NullableTime(13),
            reader.NullableTime(14),
            reader.GetInt32(15),
            reader.NullableTime(16));
    }

    private static AlertDelivery ReadDelivery(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt32(3),
        reader.Time(4),
        reader.NullableString(5),
        reader.NullableTime(6),
        reader.NullableTime(7),
        reader.NullableTime(8),
        reader.NullableString(9),
        reader.NullableString(10),
        reader.Time(11));
}
