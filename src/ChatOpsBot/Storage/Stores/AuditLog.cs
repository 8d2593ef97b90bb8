using System.Data.Common;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Storage.Stores;

/// <summary>
/// Append-only. Arguments are stored as given (redacting them is the caller's job); every field is cut to its
/// <see cref="StorageLimits"/> bound, so a hostile argument can neither bloat the database nor cost the entry.
/// </summary>
internal sealed class AuditLog(DatabaseConnectionFactory connections) : IAuditLog
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.ActorId);
        ArgumentNullException.ThrowIfNull(entry.Channel);
        ArgumentNullException.ThrowIfNull(entry.ConversationId);
        ArgumentNullException.ThrowIfNull(entry.Command);
        ArgumentNullException.ThrowIfNull(entry.Arguments);
        ArgumentNullException.ThrowIfNull(entry.CorrelationId);

        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO audit_log (occurred_at, actor_id, actor_name, channel, conversation_id, command, arguments, outcome, duration_ms, correlation_id)
                VALUES (@occurredAt, @actorId, @actorName, @channel, @conversationId, @command, @arguments, @outcome, @durationMs, @correlationId)
                """;
            command.AddParameter("@occurredAt", UnixTime.ToMilliseconds(entry.Timestamp));
            command.AddParameter("@actorId", FieldText.Truncate(entry.ActorId, StorageLimits.AuditActorIdMaxLength));
            command.AddParameter("@actorName", (object?)FieldText.TruncateOrNull(entry.ActorName, StorageLimits.AuditActorNameMaxLength) ?? DBNull.Value);
            command.AddParameter("@channel", FieldText.Truncate(entry.Channel, StorageLimits.AuditChannelMaxLength));
            command.AddParameter("@conversationId", FieldText.Truncate(entry.ConversationId, StorageLimits.AuditConversationIdMaxLength));
            command.AddParameter("@command", FieldText.Truncate(entry.Command, StorageLimits.AuditCommandMaxLength));
            command.AddParameter("@arguments", FieldText.Truncate(entry.Arguments, StorageLimits.AuditArgumentsMaxLength));
            command.AddParameter("@outcome", entry.Outcome.ToString());
            command.AddParameter("@durationMs", (long)Math.Round(entry.Duration.TotalMilliseconds, MidpointRounding.AwayFromZero));
            command.AddParameter("@correlationId", FieldText.Truncate(entry.CorrelationId, StorageLimits.AuditCorrelationIdMaxLength));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The newest entries by timestamp (ties in insertion order), newest first; at most
    /// <see cref="StorageLimits.AuditLatestMaxCount"/> whatever <paramref name="count"/> asks for.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int limit = Math.Min(count, StorageLimits.AuditLatestMaxCount);

        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                SELECT audit_id, occurred_at, actor_id, actor_name, channel, conversation_id, command, arguments, outcome, duration_ms, correlation_id
                FROM audit_log
                ORDER BY occurred_at DESC, audit_id DESC
                LIMIT @limit
                """;
            command.AddParameter("@limit", limit);
            var entries = new List<AuditEntry>(limit);
            DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(new AuditEntry(
                        UnixTime.FromMilliseconds(reader.GetInt64(1)),
                        reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.GetString(4),
                        reader.GetString(5),
                        reader.GetString(6),
                        reader.GetString(7),
                        ParseOutcome(reader.GetString(8), reader.GetInt64(0)),
                        TimeSpan.FromMilliseconds(reader.GetInt64(9)),
                        reader.GetString(10)));
                }
            }

            return entries;
        }
    }

    private static AuditOutcome ParseOutcome(string value, long auditId) =>
        Enum.TryParse(value, ignoreCase: false, out AuditOutcome outcome) && Enum.IsDefined(outcome)
            ? outcome
            : throw new InvalidDataException($"Audit entry {auditId} has the unknown outcome '{PrintableKey(value)}'.");

    private static string PrintableKey(string value) => FieldText.Truncate(new string(value.Where(c => !char.IsControl(c)).ToArray()), 32);
}
