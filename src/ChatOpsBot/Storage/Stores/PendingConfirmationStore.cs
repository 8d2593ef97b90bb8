using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatOpsBot.Commands.Confirmation;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Storage.Stores;

/// <summary>
/// Pending confirmations in <c>pending_confirmations</c>, shared by every instance. The token is stored only as its
/// SHA-256, so the table cannot be read back into button presses. An add runs in a write transaction (the limits are
/// counted and the row inserted with no other writer in between, on any instance); a claim is one <c>DELETE</c>, and
/// only the press whose delete removed the row runs the action.
/// </summary>
internal sealed class PendingConfirmationStore(DatabaseConnectionFactory connections) : IPendingConfirmationStore
{
    public async Task<bool> TryAddAsync(PendingConfirmation action, DateTimeOffset now, int maxPending, int maxPendingPerActor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            DbTransaction transaction = await connections.BeginWriteTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using DbCommand command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM pending_confirmations WHERE expires_at <= @now";
                command.AddParameter("@now", UnixTime.ToMilliseconds(now));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                command.Parameters.Clear();
                command.CommandText = """
                    SELECT COUNT(*), COALESCE(SUM(CASE WHEN actor_key = @actorKey THEN 1 ELSE 0 END), 0) FROM pending_confirmations
                    """;
                command.AddParameter("@actorKey", ActorKey(action.ActorId));
                long total, ofActor;
                await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    total = reader.GetInt64(0);
                    ofActor = reader.GetInt64(1);
                }

                if (total >= maxPending || ofActor >= maxPendingPerActor)
                {
                    return false;
                }

                command.Parameters.Clear();
                command.CommandText = """
                    INSERT INTO pending_confirmations
                        (token_hash, command_name, arguments_json, content_keys_json, actor_id, actor_key, channel, conversation_id, created_at, expires_at)
                    VALUES (@tokenHash, @commandName, @arguments, @contentKeys, @actorId, @actorKey, @channel, @conversationId, @now, @expiresAt)
                    """;
                command.AddParameter("@tokenHash", TokenHash(action.Token));
                command.AddParameter("@commandName", action.CommandName);
                command.AddParameter("@arguments", JsonSerializer.Serialize(action.Arguments));
                command.AddParameter("@contentKeys", JsonSerializer.Serialize(action.ContentKeys.Order(StringComparer.Ordinal).ToArray()));
                command.AddParameter("@actorId", action.ActorId);
                command.AddParameter("@actorKey", ActorKey(action.ActorId));
                command.AddParameter("@channel", action.Channel);
                command.AddParameter("@conversationId", action.ConversationId);
                command.AddParameter("@now", UnixTime.ToMilliseconds(now));
                command.AddParameter("@expiresAt", UnixTime.ToMilliseconds(action.ExpiresAt));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    public async Task<PendingConfirmation?> FindAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = """
                SELECT command_name, arguments_json, content_keys_json, actor_id, channel, conversation_id, expires_at
                FROM pending_confirmations WHERE token_hash = @tokenHash
                """;
            command.AddParameter("@tokenHash", TokenHash(token));
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            Dictionary<string, string> arguments = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(1))
                ?? throw new InvalidOperationException("A stored confirmation has no arguments.");
            string[] contentKeys = JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? [];
            return new PendingConfirmation(
                token,
                reader.GetString(0),
                new Dictionary<string, string>(arguments, StringComparer.Ordinal),
                new HashSet<string>(contentKeys, StringComparer.Ordinal),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                UnixTime.FromMilliseconds(reader.GetInt64(6)));
        }
    }

    public async Task<bool> TryRemoveAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = "DELETE FROM pending_confirmations WHERE token_hash = @tokenHash";
            command.AddParameter("@tokenHash", TokenHash(token));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    internal static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string ActorKey(string actorId) => actorId.ToUpperInvariant();
}
