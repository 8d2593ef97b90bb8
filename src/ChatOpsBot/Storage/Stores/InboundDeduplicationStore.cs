using System.Data.Common;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Storage.Stores;

/// <summary>
/// One statement per delivery on the acknowledgement path: the insert of <c>(source, id)</c> wins for the first
/// delivery; a repeat hits the primary key and changes nothing, unless the stored row has expired, in which case it
/// is taken over and counts as a first delivery again. Ids longer than <see cref="StorageLimits.StoredKeyMaxLength"/>
/// are stored as their SHA-256. Expired rows are purged at most every <see cref="OpportunisticPurgeInterval"/> by
/// the call that notices, and by <see cref="IStorageMaintenance"/>.
/// </summary>
internal sealed class InboundDeduplicationStore(DatabaseConnectionFactory connections, TimeProvider timeProvider) : IInboundDeduplicationStore
{
    internal static readonly TimeSpan OpportunisticPurgeInterval = TimeSpan.FromMinutes(10);

    private long _nextPurgeAt = long.MinValue;

    public async Task<bool> TryRecordAsync(string source, string id, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        FieldText.RequireNonEmpty(source, StorageLimits.DeduplicationSourceMaxLength, nameof(source));
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException("id must not be empty.", nameof(id));
        }

        long now = UnixTime.ToMilliseconds(timeProvider.GetUtcNow());
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO inbound_deliveries (source, delivery_id, received_at, expires_at)
                VALUES (@source, @deliveryId, @now, @expiresAt)
                ON CONFLICT (source, delivery_id) DO UPDATE
                SET received_at = excluded.received_at, expires_at = excluded.expires_at
                WHERE inbound_deliveries.expires_at <= @now
                """;
            command.AddParameter("@source", source);
            command.AddParameter("@deliveryId", StoredKey.For(id));
            command.AddParameter("@now", now);
            command.AddParameter("@expiresAt", UnixTime.ToMilliseconds(expiresAt));
            bool first = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;

            long due = Interlocked.Read(ref _nextPurgeAt);
            if (now >= due && Interlocked.CompareExchange(ref _nextPurgeAt, now + (long)OpportunisticPurgeInterval.TotalMilliseconds, due) == due)
            {
                await PurgeExpiredAsync(connection, now, cancellationToken).ConfigureAwait(false);
            }

            return first;
        }
    }

    internal static async Task<int> PurgeExpiredAsync(DbConnection connection, long now, CancellationToken cancellationToken)
    {
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM inbound_deliveries WHERE expires_at <= @now";
        command.AddParameter("@now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
