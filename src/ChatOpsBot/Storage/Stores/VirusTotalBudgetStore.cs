using System.Data.Common;
using ChatOpsBot.Integrations.VirusTotal;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Storage.Stores;

/// <summary>
/// The VirusTotal budget in the database, shared by every instance using it (the API key's quota is per key): one row
/// per slot granted in <c>virustotal_slots</c>, the 429 pause in <c>virustotal_pause</c>. A reservation reads the last
/// minute's slots and the day's count and inserts its slot inside one write transaction, which no other writer on any
/// instance interleaves with (<see cref="DatabaseConnectionFactory.BeginWriteTransactionAsync"/>), so two instances
/// can never both take the last slot of a minute or of a day.
/// </summary>
internal sealed class VirusTotalBudgetStore(DatabaseConnectionFactory connections) : IVirusTotalBudgetStore
{
    private const string PauseKey = "quota";

    public async Task<VirusTotalSlotReservation> ReserveAsync(
        DateTimeOffset now, DateTimeOffset deadline, int requestsPerMinute, int dailyLimit, CancellationToken cancellationToken)
    {
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            DbTransaction transaction = await connections.BeginWriteTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using DbCommand command = connection.CreateCommand();
                command.Transaction = transaction;

                // Slots older than the current UTC day (and its first minute's look-back) count for nothing any more.
                command.CommandText = "DELETE FROM virustotal_slots WHERE slot_at < @keepFrom";
                command.AddParameter("@keepFrom", UnixTime.ToMilliseconds(VirusTotalSlots.DayStart(now) - VirusTotalSlots.Window));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                command.Parameters.Clear();
                command.CommandText = "SELECT paused_until FROM virustotal_pause WHERE budget_key = @key";
                command.AddParameter("@key", PauseKey);
                object? paused = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                DateTimeOffset pausedUntil = paused is null or DBNull ? DateTimeOffset.MinValue : UnixTime.FromMilliseconds(Convert.ToInt64(paused, System.Globalization.CultureInfo.InvariantCulture));

                command.Parameters.Clear();
                command.CommandText = "SELECT slot_at FROM virustotal_slots WHERE slot_at > @windowStart ORDER BY slot_at";
                command.AddParameter("@windowStart", UnixTime.ToMilliseconds(now - VirusTotalSlots.Window));
                var recent = new List<DateTimeOffset>();
                await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        recent.Add(UnixTime.FromMilliseconds(reader.GetInt64(0)));
                    }
                }

                DateTimeOffset slot = VirusTotalSlots.Earliest(now, pausedUntil, recent, requestsPerMinute);
                DateTimeOffset day = VirusTotalSlots.DayStart(slot);
                command.Parameters.Clear();
                command.CommandText = "SELECT COUNT(*) FROM virustotal_slots WHERE slot_at >= @dayStart AND slot_at < @dayEnd";
                command.AddParameter("@dayStart", UnixTime.ToMilliseconds(day));
                command.AddParameter("@dayEnd", UnixTime.ToMilliseconds(day.AddDays(1)));
                long usedOnDay = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                if (usedOnDay >= dailyLimit)
                {
                    return VirusTotalSlotReservation.DailyLimitReached;
                }

                if (slot > deadline)
                {
                    return VirusTotalSlotReservation.RateLimited;
                }

                command.Parameters.Clear();
                command.CommandText = "INSERT INTO virustotal_slots (slot_at) VALUES (@slotAt) RETURNING slot_id";
                command.AddParameter("@slotAt", UnixTime.ToMilliseconds(slot));
                long id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new VirusTotalSlotReservation(VirusTotalSlotOutcome.Granted, slot, id);
            }
        }
    }

    public async Task ReleaseAsync(long slotId, CancellationToken cancellationToken)
    {
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = "DELETE FROM virustotal_slots WHERE slot_id = @id";
            command.AddParameter("@id", slotId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task PauseUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO virustotal_pause (budget_key, paused_until) VALUES (@key, @until)
                ON CONFLICT (budget_key) DO UPDATE SET paused_until = excluded.paused_until
                WHERE virustotal_pause.paused_until < excluded.paused_until
                """;
            command.AddParameter("@key", PauseKey);
            command.AddParameter("@until", UnixTime.ToMilliseconds(until));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
