using System.Data.Common;
using ChatOpsBot.Integrations;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Storage.Stores;

/// <summary>
/// An answer past its <c>expiresAt</c> is a miss, purged later by <see cref="IStorageMaintenance"/>. Keys longer than
/// <see cref="StorageLimits.StoredKeyMaxLength"/> are stored as their SHA-256; values over
/// <see cref="StorageLimits.ReputationValueMaxLength"/> are refused.
/// </summary>
internal sealed class ReputationCache(DatabaseConnectionFactory connections, TimeProvider timeProvider) : IReputationCache
{
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        RequireKey(key);
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = "SELECT cache_value FROM reputation_cache WHERE cache_key = @key AND expires_at > @now";
            command.AddParameter("@key", StoredKey.For(key));
            command.AddParameter("@now", UnixTime.ToMilliseconds(timeProvider.GetUtcNow()));
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
    }

    public async Task SetAsync(string key, string value, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        RequireKey(key);
        ArgumentNullException.ThrowIfNull(value);
        FieldText.RequireLength(value, StorageLimits.ReputationValueMaxLength, nameof(value));
        long now = UnixTime.ToMilliseconds(timeProvider.GetUtcNow());
        long expires = UnixTime.ToMilliseconds(expiresAt);
        if (expires <= now)
        {
            return;
        }

        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO reputation_cache (cache_key, cache_value, stored_at, expires_at)
                VALUES (@key, @value, @now, @expiresAt)
                ON CONFLICT (cache_key) DO UPDATE
                SET cache_value = excluded.cache_value, stored_at = excluded.stored_at, expires_at = excluded.expires_at
                """;
            command.AddParameter("@key", StoredKey.For(key));
            command.AddParameter("@value", value);
            command.AddParameter("@now", now);
            command.AddParameter("@expiresAt", expires);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task<int> PurgeExpiredAsync(DbConnection connection, long now, CancellationToken cancellationToken)
    {
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reputation_cache WHERE expires_at <= @now";
        command.AddParameter("@now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void RequireKey(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("key must not be empty.", nameof(key));
        }
    }
}
