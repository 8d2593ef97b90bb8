using System.Data.Common;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>A conversation that receives one kind of alert (or <see cref="AlertKinds.All"/>).</summary>
public sealed record AlertSubscription(string ChannelId, string ConversationId, string AlertKind, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary><c>subscriptions</c>; a subscription needs the conversation's stored reference (foreign key).</summary>
internal static class SubscriptionStore
{
    public static async Task<bool> ConversationExistsAsync(
        DbConnection connection, DbTransaction transaction, string channelId, string conversationId, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(transaction, "SELECT COUNT(*) FROM conversations WHERE channel_id = @channel AND conversation_id = @conversation")
            .With("@channel", channelId)
            .With("@conversation", conversationId);
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public static async Task<bool> AddAsync(DbConnection connection, DbTransaction transaction, AlertSubscription subscription, CancellationToken cancellationToken)
    {
        using DbCommand insert = connection.Command(transaction, """
            INSERT INTO subscriptions (channel_id, conversation_id, alert_kind, created_by, created_at)
            VALUES (@channel, @conversation, @kind, @by, @at)
            ON CONFLICT (channel_id, conversation_id, alert_kind) DO NOTHING
            """)
            .With("@channel", subscription.ChannelId)
            .With("@conversation", subscription.ConversationId)
            .With("@kind", subscription.AlertKind)
            .With("@by", FieldText.Truncate(subscription.CreatedBy, AlertStore.MaxActorLength))
            .With("@at", UnixTime.ToMilliseconds(subscription.CreatedAt));
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Removes one kind, or every kind when <paramref name="alertKind"/> is null; the number removed.</summary>
    public static async Task<int> RemoveAsync(
        DbConnection connection, DbTransaction transaction, string channelId, string conversationId, string? alertKind, CancellationToken cancellationToken)
    {
        using DbCommand delete = connection.Command(transaction, $"""
            DELETE FROM subscriptions WHERE channel_id = @channel AND conversation_id = @conversation
            {(alertKind is null ? "" : "AND alert_kind = @kind")}
            """)
            .With("@channel", channelId)
            .With("@conversation", conversationId);
        if (alertKind is not null)
        {
            delete.With("@kind", alertKind);
        }

        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Subscriptions, optionally of one conversation, or only those that receive <paramref name="receivingKind"/>.</summary>
    public static async Task<List<AlertSubscription>> ListAsync(
        DbConnection connection,
        DbTransaction? transaction,
        string? channelId,
        string? conversationId,
        string? receivingKind,
        CancellationToken cancellationToken)
    {
        var where = new List<string>();
        using DbCommand select = connection.Command(transaction, "");
        if (channelId is not null && conversationId is not null)
        {
            where.Add("channel_id = @channel AND conversation_id = @conversation");
            select.With("@channel", channelId).With("@conversation", conversationId);
        }

        if (receivingKind is not null)
        {
            where.Add("(alert_kind = @kind OR alert_kind = 'all')");
            select.With("@kind", receivingKind);
        }

        select.CommandText = $"""
            SELECT channel_id, conversation_id, alert_kind, created_by, created_at FROM subscriptions
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY channel_id, conversation_id, alert_kind
            """;
        var list = new List<AlertSubscription>();
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new AlertSubscription(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.Time(4)));
        }

        return list;
    }
}
