using System.Data.Common;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Storage.Stores;

internal sealed class VipStore(DatabaseConnectionFactory connections) : IVipStore
{
    public async Task<IReadOnlyList<StoredVip>> ListAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = "SELECT email, display_name, added_by, added_at, email_key FROM vips";
            var vips = new List<(string Key, StoredVip Vip)>();
            DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    vips.Add((reader.GetString(4), new StoredVip(reader.GetString(1), reader.GetString(0), reader.GetString(2), UnixTime.FromMilliseconds(reader.GetInt64(3)))));
                }
            }

            // Sorted here, not by the engine, so the order does not depend on a database collation.
            return vips.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => entry.Vip).ToList();
        }
    }

    public async Task<bool> AddAsync(StoredVip vip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vip);
        string email = VipAddress.Require(vip.Email, nameof(vip.Email));
        string displayName = vip.DisplayName?.Trim() ?? string.Empty;
        FieldText.RequireNonEmpty(displayName, StorageLimits.VipDisplayNameMaxLength, nameof(vip.DisplayName));
        FieldText.RequireNonEmpty(vip.AddedBy, StorageLimits.VipAddedByMaxLength, nameof(vip.AddedBy));

        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            return await InsertAsync(command, email, displayName, vip.AddedBy, vip.AddedAt, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> RemoveAsync(string email, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            throw new ArgumentException("email must not be empty.", nameof(email));
        }

        string? key = VipAddress.TryKey(email);
        if (key is null)
        {
            return false;
        }

        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = "DELETE FROM vips WHERE email_key = @key";
            command.AddParameter("@key", key);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <summary>Inserts unless the address is listed; shared with seeding, which runs it inside its transaction.</summary>
    internal static async Task<bool> InsertAsync(
        DbCommand command, string email, string displayName, string addedBy, DateTimeOffset addedAt, CancellationToken cancellationToken)
    {
        command.CommandText = """
            INSERT INTO vips (email_key, email, display_name, added_by, added_at)
            VALUES (@key, @email, @displayName, @addedBy, @addedAt)
            ON CONFLICT (email_key) DO NOTHING
            """;
        command.Parameters.Clear();
        command.AddParameter("@key", VipAddress.Key(email));
        command.AddParameter("@email", email);
        command.AddParameter("@displayName", displayName);
        command.AddParameter("@addedBy", addedBy);
        command.AddParameter("@addedAt", UnixTime.ToMilliseconds(addedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
