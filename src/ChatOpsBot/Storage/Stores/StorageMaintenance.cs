using System.Data.Common;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Storage.Stores;

internal sealed class StorageMaintenance(DatabaseConnectionFactory connections, TimeProvider timeProvider) : IStorageMaintenance
{
    public async Task<StoragePurgeResult> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        long now = UnixTime.ToMilliseconds(timeProvider.GetUtcNow());
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            int deliveries = await InboundDeduplicationStore.PurgeExpiredAsync(connection, now, cancellationToken).ConfigureAwait(false);
            int answers = await ReputationCache.PurgeExpiredAsync(connection, now, cancellationToken).ConfigureAwait(false);
            return new StoragePurgeResult(deliveries, answers);
        }
    }
}
