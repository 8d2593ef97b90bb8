using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Storage.Sqlite;

internal sealed class SqliteStorageMaintenance(SqliteConnectionFactory connections, TimeProvider timeProvider) : IStorageMaintenance
{
    public async Task<StoragePurgeResult> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        long now = UnixTime.ToMilliseconds(timeProvider.GetUtcNow());
        SqliteConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            int deliveries = await SqliteInboundDeduplicationStore.PurgeExpiredAsync(connection, now, cancellationToken).ConfigureAwait(false);
            int answers = await SqliteReputationCache.PurgeExpiredAsync(connection, now, cancellationToken).ConfigureAwait(false);
            return new StoragePurgeResult(deliveries, answers);
        }
    }
}
