using System.Data.Common;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Storage.Stores;

internal sealed class ConversationStore(DatabaseConnectionFactory connections) : IConversationStore
{
    private const string Columns = "channel_id, conversation_id, service_url, tenant_id, scope, reference_json, first_seen, last_seen";

    /// <summary>
    /// The insert decides who was first: the primary key lets exactly one concurrent caller insert, on SQLite and
    /// PostgreSQL alike. A later call refreshes the reference, unless it carries an older <c>LastSeen</c> than stored.
    /// </summary>
    public async Task<bool> UpsertAsync(StoredConversation conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        FieldText.RequireNonEmpty(conversation.ChannelId, StorageLimits.ConversationChannelIdMaxLength, nameof(conversation.ChannelId));
        FieldText.RequireNonEmpty(conversation.ConversationId, StorageLimits.ConversationIdMaxLength, nameof(conversation.ConversationId));
        ArgumentNullException.ThrowIfNull(conversation.ServiceUrl);
        FieldText.RequireLength(conversation.ServiceUrl, StorageLimits.ConversationServiceUrlMaxLength, nameof(conversation.ServiceUrl));
        if (conversation.TenantId is not null)
        {
            FieldText.RequireLength(conversation.TenantId, StorageLimits.ConversationTenantIdMaxLength, nameof(conversation.TenantId));
        }

        ArgumentNullException.ThrowIfNull(conversation.Scope);
        FieldText.RequireLength(conversation.Scope, StorageLimits.ConversationScopeMaxLength, nameof(conversation.Scope));
        FieldText.RequireNonEmpty(conversation.ReferenceJson, StorageLimits.ConversationReferenceMaxLength, nameof(conversation.ReferenceJson));

        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = $"""
                INSERT INTO conversations ({Columns})
                VALUES (@channelId, @conversationId, @serviceUrl, @tenantId, @scope, @referenceJson, @firstSeen, @lastSeen)
                ON CONFLICT (channel_id, conversation_id) DO NOTHING
                """;
            command.AddParameter("@channelId", conversation.ChannelId);
            command.AddParameter("@conversationId", conversation.ConversationId);
            command.AddParameter("@serviceUrl", conversation.ServiceUrl);
            command.AddParameter("@tenantId", (object?)conversation.TenantId ?? DBNull.Value);
            command.AddParameter("@scope", conversation.Scope);
            command.AddParameter("@referenceJson", conversation.ReferenceJson);
            command.AddParameter("@firstSeen", UnixTime.ToMilliseconds(conversation.FirstSeen));
            command.AddParameter("@lastSeen", UnixTime.ToMilliseconds(conversation.LastSeen));
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return true;
            }

            command.CommandText = """
                UPDATE conversations
                SET service_url = @serviceUrl, tenant_id = @tenantId, scope = @scope, reference_json = @referenceJson, last_seen = @lastSeen
                WHERE channel_id = @channelId AND conversation_id = @conversationId AND last_seen <= @lastSeen
                """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }
    }

    public async Task<StoredConversation?> GetAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channelId);
        ArgumentNullException.ThrowIfNull(conversationId);
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM conversations WHERE channel_id = @channelId AND conversation_id = @conversationId";
            command.AddParameter("@channelId", channelId);
            command.AddParameter("@conversationId", conversationId);
            IReadOnlyList<StoredConversation> found = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
            return found.Count == 0 ? null : found[0];
        }
    }

    public async Task<IReadOnlyList<StoredConversation>> ListAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using DbCommand command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM conversations";
            IReadOnlyList<StoredConversation> found = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
            return found
                .OrderBy(conversation => conversation.ChannelId, StringComparer.Ordinal)
                .ThenBy(conversation => conversation.ConversationId, StringComparer.Ordinal)
                .ToList();
        }
    }

    private static async Task<IReadOnlyList<StoredConversation>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var conversations = new List<StoredConversation>();
        DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                conversations.Add(new StoredConversation(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    UnixTime.FromMilliseconds(reader.GetInt64(6)),
                    UnixTime.FromMilliseconds(reader.GetInt64(7))));
            }
        }

        return conversations;
    }
}
