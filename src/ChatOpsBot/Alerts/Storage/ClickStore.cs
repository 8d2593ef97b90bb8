using System.Data;
using System.Data.Common;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ChatOpsBot.Alerts.Storage;

/// <summary>The URL monitor's click history (<c>url_clicks</c>), inside the caller's transaction.</summary>
internal static class ClickStore
{
    private const string Columns =
        "fingerprint, clicked_at, url, normalized_url, registrable_domain, user_email, sender_email, subject, message_id, " +
        "action, scan_result, creation_method, route, category, ttp_definition, sending_ip, click_disposition";

    private const string InsertSql = $"""
        INSERT INTO url_clicks ({Columns}, ingested_at)
        VALUES (@fingerprint, @clickedAt, @url, @normalizedUrl, @registrableDomain, @userEmail, @senderEmail, @subject, @messageId,
                @action, @scanResult, @creationMethod, @route, @category, @ttpDefinition, @sendingIp, @disposition, @ingestedAt)
        ON CONFLICT (fingerprint) DO NOTHING
        """;

    /// <summary>The parameters of <see cref="InsertSql"/> in the order <see cref="StoredClick"/> holds the values,
    /// then the ingestion time.</summary>
    private static readonly string[] s_insertParameters =
    [
        "@fingerprint", "@clickedAt", "@url", "@normalizedUrl", "@registrableDomain", "@userEmail", "@senderEmail", "@subject", "@messageId",
        "@action", "@scanResult", "@creationMethod", "@route", "@category", "@ttpDefinition", "@sendingIp", "@disposition", "@ingestedAt",
    ];

    /// <summary>Stores the clicks not seen before (by fingerprint) and returns exactly those, in input order (on SQLite
    /// through <see cref="SqliteClickInserter"/>, the same statement without ADO.NET's per-parameter cost).</summary>
    public static async Task<List<StoredClick>> InsertNewAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredClick> clicks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserted = new List<StoredClick>();
        if (clicks.Count == 0)
        {
            return inserted;
        }

        if (connection is SqliteConnection sqlite)
        {
            return SqliteClickInserter.InsertNew(sqlite, InsertSql, s_insertParameters, clicks, UnixTime.ToMilliseconds(now), cancellationToken);
        }

        return await InsertNewPortableAsync(connection, transaction, clicks, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The ADO.NET path of <see cref="InsertNewAsync"/>, for any provider (PostgreSQL uses it).</summary>
    internal static async Task<List<StoredClick>> InsertNewPortableAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredClick> clicks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserted = new List<StoredClick>();
        using DbCommand command = connection.Command(transaction, InsertSql);
        DbParameter[] parameters = [.. s_insertParameters.Select(n => command.AddParameter(n, DbType.String))];
        parameters[1].DbType = DbType.Int64;
        parameters[17].DbType = DbType.Int64;
        parameters[17].Value = UnixTime.ToMilliseconds(now);
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (StoredClick click in clicks)
        {
            parameters[0].Value = click.Fingerprint;
            parameters[1].Value = UnixTime.ToMilliseconds(click.ClickedAt);
            parameters[2].Value = click.Url;
            parameters[3].Value = click.NormalizedUrl;
            parameters[4].Value = (object?)click.RegistrableDomain ?? DBNull.Value;
            parameters[5].Value = click.UserEmail;
            parameters[6].Value = (object?)click.SenderEmail ?? DBNull.Value;
            parameters[7].Value = (object?)click.Subject ?? DBNull.Value;
            parameters[8].Value = (object?)click.MessageId ?? DBNull.Value;
            parameters[9].Value = (object?)click.Action ?? DBNull.Value;
            parameters[10].Value = (object?)click.ScanResult ?? DBNull.Value;
            parameters[11].Value = (object?)click.CreationMethod ?? DBNull.Value;
            parameters[12].Value = (object?)click.Route ?? DBNull.Value;
            parameters[13].Value = (object?)click.Category ?? DBNull.Value;
            parameters[14].Value = (object?)click.TtpDefinition ?? DBNull.Value;
            parameters[15].Value = (object?)click.SendingIp ?? DBNull.Value;
            parameters[16].Value = click.Disposition;
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                inserted.Add(click);
            }
        }

        return inserted;
    }

    /// <summary>Allowed clicks on <paramref name="key"/> (a normalised URL, or a registrable domain when
    /// <paramref name="byDomain"/>) in [<paramref name="since"/>, <paramref name="before"/>), newest first, at most
    /// <paramref name="limit"/>, with the total count.</summary>
    public static async Task<(List<StoredClick> Clicks, int Total)> FindAllowedAsync(
        DbConnection connection,
        DbTransaction? transaction,
        string key,
        bool byDomain,
        DateTimeOffset since,
        DateTimeOffset before,
        int limit,
        CancellationToken cancellationToken)
    {
        using var lookups = new Lookups(connection, transaction, byDomain, since);
        return await lookups.FindAllowedAsync(key, before, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The look-ups of one detection pass over many keys (normalised URLs, or registrable domains when byDomain), all
    /// since one window start. Each statement is prepared once, on first use, and run again for every key with new
    /// parameter values: a chunk of clicks asks about thousands of keys, and preparing the statement anew for each
    /// cost more than the indexed look-up itself.
    /// </summary>
    public sealed class Lookups(DbConnection connection, DbTransaction? transaction, bool byDomain, DateTimeOffset since) : IDisposable
    {
        private readonly string _keyColumn = byDomain ? "registrable_domain" : "normalized_url";
        private readonly long _since = UnixTime.ToMilliseconds(since);
        private DbCommand? _countAllowed;
        private DbCommand? _selectAllowed;
        private DbCommand? _selectExposed;
        private DbCommand? _latestMalicious;
        private SqliteKeyProbe? _maliciousProbe;

        private string AllowedWhere => $"click_disposition = 'allowed' AND {_keyColumn} = @key AND clicked_at >= @since AND clicked_at < @before";

        /// <summary>Allowed clicks on <paramref name="key"/> in [since, <paramref name="before"/>), newest first, at
        /// most <paramref name="limit"/>, with the total count.</summary>
        public async Task<(List<StoredClick> Clicks, int Total)> FindAllowedAsync(string key, DateTimeOffset before, int limit, CancellationToken cancellationToken)
        {
            _selectAllowed ??= await PrepareAsync($"""
                SELECT {Columns} FROM url_clicks WHERE {AllowedWhere}
                ORDER BY clicked_at DESC, fingerprint
                LIMIT @limit
                """, withBefore: true, withLimit: true, cancellationToken).ConfigureAwait(false);
            var clicks = new List<StoredClick>();
            await using (DbDataReader reader = await ExecuteAsync(_selectAllowed, key, before, limit, cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    clicks.Add(Read(reader));
                }
            }

            return (clicks, await TotalAsync(clicks.Count, key, before, limit, cancellationToken).ConfigureAwait(false));
        }

        /// <summary>
        /// As <see cref="FindAllowedAsync"/>, but only what an alert lists of each clicker. A detection pass reads
        /// thousands of these rows, one random table page each: decoding the eleven columns an alert never shows
        /// was about a third of the detection time.
        /// </summary>
        public async Task<(List<ExposedClick> Clicks, int Total)> FindExposedAsync(string key, DateTimeOffset before, int limit, CancellationToken cancellationToken)
        {
            _selectExposed ??= await PrepareAsync($"""
                SELECT clicked_at, user_email, sender_email, subject, url, message_id FROM url_clicks WHERE {AllowedWhere}
                ORDER BY clicked_at DESC, fingerprint
                LIMIT @limit
                """, withBefore: true, withLimit: true, cancellationToken).ConfigureAwait(false);
            var clicks = new List<ExposedClick>();
            await using (DbDataReader reader = await ExecuteAsync(_selectExposed, key, before, limit, cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    clicks.Add(new ExposedClick(
                        reader.Time(0), reader.GetString(1), reader.NullableString(2), reader.NullableString(3), reader.GetString(4), reader.NullableString(5)));
                }
            }

            return (clicks, await TotalAsync(clicks.Count, key, before, limit, cancellationToken).ConfigureAwait(false));
        }

        /// <summary>
        /// The number of allowed clicks on the key: a page shorter than the limit holds them all, so only a full page
        /// costs a count (detection lists ~10 clickers of most URLs against a limit of dozens, and counting first was
        /// a second index walk per URL).
        /// </summary>
        private async Task<int> TotalAsync(int listed, string key, DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
            listed < limit ? listed : await CountAllowedAsync(key, before, cancellationToken).ConfigureAwait(false);

        /// <summary>The newest malicious click on <paramref name="key"/> since the window start, if any.</summary>
        public async Task<StoredClick?> LatestMaliciousAsync(string key, CancellationToken cancellationToken)
        {
            if (connection is SqliteConnection sqlite)
            {
                // Most keys were never malicious: a bare existence check answers them, the full row is read only for the rest.
                _maliciousProbe ??= new SqliteKeyProbe(
                    sqlite, $"SELECT 1 FROM url_clicks WHERE click_disposition = 'malicious' AND {_keyColumn} = @key AND clicked_at >= @since LIMIT 1");
                if (!_maliciousProbe.Exists(key, _since))
                {
                    return null;
                }
            }

            _latestMalicious ??= await PrepareAsync($"""
                SELECT {Columns} FROM url_clicks
                WHERE click_disposition = 'malicious' AND {_keyColumn} = @key AND clicked_at >= @since
                ORDER BY clicked_at DESC, fingerprint
                LIMIT 1
                """, withBefore: false, withLimit: false, cancellationToken).ConfigureAwait(false);
            _latestMalicious.Parameters[0].Value = key;
            await using DbDataReader reader = await _latestMalicious.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
        }

        public void Dispose()
        {
            _countAllowed?.Dispose();
            _selectAllowed?.Dispose();
            _selectExposed?.Dispose();
            _latestMalicious?.Dispose();
            _maliciousProbe?.Dispose();
        }

        private async Task<int> CountAllowedAsync(string key, DateTimeOffset before, CancellationToken cancellationToken)
        {
            _countAllowed ??= await PrepareAsync(
                $"SELECT COUNT(*) FROM url_clicks WHERE {AllowedWhere}", withBefore: true, withLimit: false, cancellationToken).ConfigureAwait(false);
            _countAllowed.Parameters[0].Value = key;
            _countAllowed.Parameters[2].Value = UnixTime.ToMilliseconds(before);
            return Convert.ToInt32(await _countAllowed.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        private static Task<DbDataReader> ExecuteAsync(DbCommand select, string key, DateTimeOffset before, int limit, CancellationToken cancellationToken)
        {
            select.Parameters[0].Value = key;
            select.Parameters[2].Value = UnixTime.ToMilliseconds(before);
            select.Parameters[3].Value = limit;
            return select.ExecuteReaderAsync(cancellationToken);
        }

        /// <summary>Parameters in this order: @key, @since, then @before and @limit when the statement has them.</summary>
        private async Task<DbCommand> PrepareAsync(string sql, bool withBefore, bool withLimit, CancellationToken cancellationToken)
        {
            DbCommand command = connection.Command(transaction, sql);
            command.AddParameter("@key", DbType.String);
            command.AddParameter("@since", DbType.Int64).Value = _since;
            if (withBefore)
            {
                command.AddParameter("@before", DbType.Int64);
            }

            if (withLimit)
            {
                command.AddParameter("@limit", DbType.Int32);
            }

            // Async: on PostgreSQL preparing is a round trip to the server.
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return command;
        }
    }

    /// <summary>Distinct normalised URLs of allowed clicks since <paramref name="since"/>, most recently clicked first,
    /// each with the newest raw URL clicked for it.</summary>
    public static async Task<List<(string NormalizedUrl, string Url)>> DistinctAllowedUrlsAsync(
        DbConnection connection, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        using DbCommand select = connection.Command(null, """
            SELECT normalized_url, MAX(clicked_at) AS last_click FROM url_clicks
            WHERE click_disposition = 'allowed' AND clicked_at >= @since
            GROUP BY normalized_url
            ORDER BY last_click DESC, normalized_url
            LIMIT @limit
            """)
            .With("@since", UnixTime.ToMilliseconds(since))
            .With("@limit", limit);
        var keys = new List<(string, long)>();
        await using (DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                keys.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        var urls = new List<(string, string)>(keys.Count);
        using DbCommand sample = connection.Command(null, """
            SELECT url FROM url_clicks
            WHERE click_disposition = 'allowed' AND normalized_url = @key AND clicked_at = @at
            LIMIT 1
            """);
        DbParameter keyParameter = sample.AddParameter("@key", DbType.String);
        DbParameter atParameter = sample.AddParameter("@at", DbType.Int64);
        foreach ((string key, long at) in keys)
        {
            keyParameter.Value = key;
            atParameter.Value = at;
            string url = await sample.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? key;
            urls.Add((key, url));
        }

        return urls;
    }

    /// <summary>Deletes clicks older than <paramref name="cutoff"/>, in batches so the write lock is never held long.</summary>
    public static async Task<long> PurgeOlderThanAsync(DbConnection connection, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            using DbCommand delete = connection.Command(null, """
                DELETE FROM url_clicks WHERE fingerprint IN (
                    SELECT fingerprint FROM url_clicks WHERE clicked_at < @cutoff LIMIT 5000)
                """)
                .With("@cutoff", UnixTime.ToMilliseconds(cutoff));
            int deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted == 0)
            {
                return total;
            }
        }
    }

    private static StoredClick Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.Time(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.NullableString(4),
        reader.GetString(5),
        reader.NullableString(6),
        reader.NullableString(7),
        reader.NullableString(8),
        reader.NullableString(9),
        reader.NullableString(10),
        reader.NullableString(11),
        reader.NullableString(12),
        reader.NullableString(13),
        reader.NullableString(14),
        reader.NullableString(15),
        reader.GetString(16));
}
