using System.Data.Common;
using System.Globalization;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Storage.Stores;

/// <summary>
/// Applies <see cref="VipSeedOptions"/> once. The decision is recorded in <c>app_metadata</c>, so emptying the list
/// with the bot's commands later does not bring the configured VIPs back at the next start. Runs under the write lock,
/// so instances starting together seed once.
/// </summary>
internal sealed partial class VipSeeder(
    DatabaseConnectionFactory connections, IOptions<VipSeedOptions> options, TimeProvider timeProvider, ILogger<VipSeeder> logger)
{
    internal const string SeededMarkerKey = "vips.seeded_from_configuration";
    internal const string SeededBy = "configuration";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<VipSeedEntry> entries = options.Value.Entries;
        if (entries.Count == 0)
        {
            return;
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            DbTransaction transaction = await connections.BeginWriteTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);
            using DbCommand command = connection.CreateCommand();
            command.Transaction = transaction;

            command.CommandText = "SELECT metadata_value FROM app_metadata WHERE metadata_key = @key";
            command.AddParameter("@key", SeededMarkerKey);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string decided)
            {
                LogSeedIgnored(decided);
                return;
            }

            command.CommandText = "SELECT COUNT(*) FROM vips";
            command.Parameters.Clear();
            long existing = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            int added = 0;
            if (existing == 0)
            {
                foreach (VipSeedEntry entry in entries)
                {
                    string email = VipAddress.Require(entry.Email, "Email");
                    if (await VipStore.InsertAsync(command, email, entry.DisplayName!.Trim(), SeededBy, now, cancellationToken).ConfigureAwait(false))
                    {
                        added++;
                    }
                }
            }

            string decision = existing == 0
                ? string.Create(CultureInfo.InvariantCulture, $"seeded {added} VIPs at {now:O}")
                : string.Create(CultureInfo.InvariantCulture, $"not seeded at {now:O}: the list already had {existing} VIPs");
            command.CommandText = "INSERT INTO app_metadata (metadata_key, metadata_value, updated_at) VALUES (@key, @value, @now)";
            command.Parameters.Clear();
            command.AddParameter("@key", SeededMarkerKey);
            command.AddParameter("@value", decision);
            command.AddParameter("@now", UnixTime.ToMilliseconds(now));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            LogSeeded(decision);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "VIP list from configuration: {Decision}")]
    private partial void LogSeeded(string decision);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Configuration 'Vips' is ignored: the VIP list was settled earlier ({Decision}); manage it with the bot's VIP commands")]
    private partial void LogSeedIgnored(string decision);
}
