using System.Data.Common;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Storage;

namespace ChatOpsBot.Tests.Alerts;

/// <summary>
/// <see cref="ClickStore"/> on each provider (on SQLite the insert and the "seen malicious before?" probe go through
/// SQLite's own API, on PostgreSQL through ADO.NET): which clicks are new, that every column is stored as given, and
/// which earlier malicious click detection finds.
/// </summary>
public abstract class ClickStoreTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 22, 12, 0, 0, 125, TimeSpan.Zero);

    private protected abstract StorageProvider Provider { get; }

    [ProviderFact]
    public async Task New_clicks_are_stored_and_returned_in_order_and_known_fingerprints_are_skipped()
    {
        await using StoreDatabase database = await StoreDatabase.CreateMigratedAsync(Provider);
        StoredClick a = Click("c1:a", "https://a.example/"), b = Click("c1:b", "https://b.example/"), c = Click("c1:c", "https://c.example/");

        (await InsertAsync(database, [a, b])).ShouldBe([a, b]);
        (await InsertAsync(database, [b, c, a, c])).ShouldBe([c], "b and a were stored before; the second c repeats the first");
        (await InsertAsync(database, [])).ShouldBeEmpty();

        (await database.ScalarAsync("SELECT COUNT(*) FROM url_clicks")).ShouldBe(3);
    }

    [ProviderFact]
    public async Task Every_column_is_stored_as_given_including_nulls_empty_text_and_odd_characters()
    {
        await using StoreDatabase database = await StoreDatabase.CreateMigratedAsync(Provider);
        StoredClick full = Click("c1:full", "https://évil.example/a?b=c") with
        {
            RegistrableDomain = "xn--vil-bma.example",
            SenderEmail = "sender@example.com",
            Subject = "Ünïcödé 😀 \"quotes\" 'single' ; DROP TABLE url_clicks; --",
            MessageId = "<id@example.com>",
            Action = "allow",
            ScanResult = "clean",
            CreationMethod = "User Click",
            Route = "inbound",
            Category = "Business",
            TtpDefinition = "Inbound URL 'Aggressive'",
            SendingIp = "192.0.2.1",
        };
        StoredClick sparse = Click("c1:sparse", new string('u', 8_000)) with { Subject = "", SenderEmail = null, Category = "" };

        (await InsertAsync(database, [full, sparse])).Count.ShouldBe(2);

        (await ReadBackAsync(database, full.NormalizedUrl)).ShouldBe(full);
        (await ReadBackAsync(database, sparse.NormalizedUrl)).ShouldBe(sparse);
        (await database.ScalarAsync("SELECT COUNT(*) FROM url_clicks WHERE subject IS NULL")).ShouldBe(0, "an empty subject is text, not NULL");
        (await database.ScalarAsync("SELECT ingested_at FROM url_clicks WHERE fingerprint = 'c1:full'")).ShouldBe(s_now.ToUnixTimeMilliseconds());
    }

    [ProviderFact]
    public async Task A_failed_insert_raises_an_error_and_stores_nothing_after_the_rollback()
    {
        await using StoreDatabase database = await StoreDatabase.CreateMigratedAsync(Provider);
        StoredClick broken = Click("c1:broken", "https://a.example/") with { UserEmail = null! };

        // SQLite refuses the NULL (NOT NULL constraint); Npgsql refuses a parameter without a value before sending it.
        Exception error = await Should.ThrowAsync<Exception>(() => InsertAsync(database, [Click("c1:ok", "https://ok.example/"), broken]));
        (error is DbException or InvalidOperationException).ShouldBeTrue(error.ToString());

        (await database.ScalarAsync("SELECT COUNT(*) FROM url_clicks")).ShouldBe(0);
    }

    [ProviderFact]
    public async Task The_latest_malicious_click_of_a_key_is_found_only_inside_the_window()
    {
        await using StoreDatabase database = await StoreDatabase.CreateMigratedAsync(Provider);
        DateTimeOffset since = s_now.AddDays(-30);
        StoredClick Malicious(string fingerprint, string url, DateTimeOffset at) =>
            Click(fingerprint, url) with { ClickedAt = at, Disposition = ClickDispositions.Malicious, RegistrableDomain = "evil.example" };
        await InsertAsync(database,
        [
            Malicious("c1:old", "https://old.example/", since.AddMinutes(-1)),
            Malicious("c1:m1", "https://evil.example/a", since.AddDays(1)),
            Malicious("c1:m2", "https://evil.example/a", since.AddDays(2)),
            Click("c1:allowed", "https://allowed.example/") with { RegistrableDomain = "allowed.example" },
        ]);

        await using DbConnection connection = await database.Connections.OpenAsync(CancellationToken.None);
        using (var byUrl = new ClickStore.Lookups(connection, null, byDomain: false, since))
        {
            (await byUrl.LatestMaliciousAsync("https://evil.example/a", CancellationToken.None))!.Fingerprint.ShouldBe("c1:m2");
            (await byUrl.LatestMaliciousAsync("https://old.example/", CancellationToken.None)).ShouldBeNull("before the window");
            (await byUrl.LatestMaliciousAsync("https://allowed.example/", CancellationToken.None)).ShouldBeNull("allowed, never malicious");
            (await byUrl.LatestMaliciousAsync("https://nowhere.example/", CancellationToken.None)).ShouldBeNull();
            (await byUrl.LatestMaliciousAsync("https://evil.example/a", CancellationToken.None))!.Fingerprint.ShouldBe("c1:m2", "asked again");
        }

        using var byDomain = new ClickStore.Lookups(connection, null, byDomain: true, since);
        (await byDomain.LatestMaliciousAsync("evil.example", CancellationToken.None))!.Fingerprint.ShouldBe("c1:m2");
        (await byDomain.LatestMaliciousAsync("allowed.example", CancellationToken.None)).ShouldBeNull();
    }

    [ProviderTheory]
    [InlineData(10, 3)]
    [InlineData(3, 3)]
    [InlineData(2, 3)]
    [InlineData(1, 3)]
    public async Task Earlier_clickers_are_listed_newest_first_up_to_the_limit_with_the_true_total(int limit, int clickers)
    {
        await using StoreDatabase database = await StoreDatabase.CreateMigratedAsync(Provider);
        DateTimeOffset since = s_now.AddDays(-30);
        List<StoredClick> clicks =
        [
            .. Enumerable.Range(0, clickers).Select(i => Click($"c1:{i}", "https://evil.example/") with { ClickedAt = s_now.AddHours(-10 + i), UserEmail = $"u{i}@x" }),
            Click("c1:later", "https://evil.example/") with { ClickedAt = s_now.AddMinutes(-1), UserEmail = "later@x" },
            Click("c1:old", "https://evil.example/") with { ClickedAt = since.AddMinutes(-1), UserEmail = "old@x" },
            Click("c1:blocked", "https://evil.example/") with { ClickedAt = s_now.AddHours(-5), UserEmail = "blocked@x", Disposition = ClickDispositions.Other },
        ];
        await InsertAsync(database, clicks);
        DateTimeOffset before = s_now.AddMinutes(-2);
        string[] newestFirst = [.. Enumerable.Range(0, clickers).Reverse().Select(i => $"u{i}@x").Take(limit)];

        await using DbConnection connection = await database.Connections.OpenAsync(CancellationToken.None);
        using var lookups = new ClickStore.Lookups(connection, null, byDomain: false, since);
        (List<ExposedClick> exposed, int total) = await lookups.FindExposedAsync("https://evil.example/", before, limit, CancellationToken.None);
        (List<StoredClick> allowed, int allowedTotal) = await lookups.FindAllowedAsync("https://evil.example/", before, limit, CancellationToken.None);
        (List<ExposedClick> none, int noneTotal) = await lookups.FindExposedAsync("https://nowhere.example/", before, limit, CancellationToken.None);

        total.ShouldBe(clickers, "only allowed clicks inside [since, before) count");
        exposed.Select(e => e.User).ShouldBe(newestFirst);
        allowedTotal.ShouldBe(clickers);
        allowed.Select(c => c.UserEmail).ShouldBe(newestFirst);
        none.ShouldBeEmpty();
        noneTotal.ShouldBe(0);
    }

    private protected static StoredClick Click(string fingerprint, string url) => new(
        fingerprint, new DateTimeOffset(2026, 11, 22, 11, 0, 0, 250, TimeSpan.Zero), url, url, "example", "user@example.com",
        null, null, null, null, null, null, null, null, null, null, ClickDispositions.Allowed);

    private protected static async Task<List<StoredClick>> InsertAsync(StoreDatabase database, IReadOnlyList<StoredClick> clicks)
    {
        await using DbConnection connection = await database.Connections.OpenAsync(CancellationToken.None);
        await using DbTransaction transaction = await database.Connections.BeginWriteTransactionAsync(connection, CancellationToken.None);
        List<StoredClick> inserted = await ClickStore.InsertNewAsync(connection, transaction, clicks, s_now, CancellationToken.None);
        await transaction.CommitAsync();
        return inserted;
    }

    private protected static async Task<string?> TextScalarAsync(StoreDatabase database, string sql)
    {
        await using DbConnection connection = await database.Connections.OpenAsync(CancellationToken.None);
        using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() as string;
    }

    private static async Task<StoredClick> ReadBackAsync(StoreDatabase database, string normalizedUrl)
    {
        await using DbConnection connection = await database.Connections.OpenAsync(CancellationToken.None);
        (List<StoredClick> clicks, int total) = await ClickStore.FindAllowedAsync(
            connection, null, normalizedUrl, byDomain: false, s_now.AddDays(-1), s_now, limit: 10, CancellationToken.None);
        total.ShouldBe(1);
        return clicks[0];
    }
}

public sealed class SqliteClickStoreTests : ClickStoreTests
{
    private protected override StorageProvider Provider => StorageProvider.Sqlite;

    /// <summary>The SQLite path binds through SQLite's own API; the bytes it stores must be those ADO.NET stores.</summary>
    [ProviderFact]
    public async Task The_sqlite_path_stores_the_same_bytes_as_the_portable_path()
    {
        string[] texts = ["plain", "", "Ünïcödé", "😀", "lone \uD800 high", "lone \uDC00 low", "nul \0 inside", "tab\tnew\nline", new string('x', 5_000)];
        List<StoredClick> clicks = [.. texts.Select((text, i) => Click($"c1:{i}", $"https://{i}.example/{text}") with { Subject = text, Category = text })];
        await using StoreDatabase fast = await StoreDatabase.CreateMigratedAsync(Provider);
        await using StoreDatabase portable = await StoreDatabase.CreateMigratedAsync(Provider);

        await InsertAsync(fast, clicks);
        await using (DbConnection connection = await portable.Connections.OpenAsync(CancellationToken.None))
        await using (DbTransaction transaction = await portable.Connections.BeginWriteTransactionAsync(connection, CancellationToken.None))
        {
            await ClickStore.InsertNewPortableAsync(connection, transaction, clicks, new DateTimeOffset(2026, 11, 22, 12, 0, 0, 125, TimeSpan.Zero), CancellationToken.None);
            await transaction.CommitAsync();
        }

        const string Dump = """
            SELECT group_concat(fingerprint || '|' || typeof(subject) || ':' || hex(subject) || '|' || hex(url) || '|' || hex(category) || '|'
                || typeof(sender_email) || '|' || clicked_at || '|' || ingested_at, ';') FROM (SELECT * FROM url_clicks ORDER BY fingerprint)
            """;
        string? expected = await TextScalarAsync(portable, Dump);
        expected.ShouldNotBeNullOrEmpty();
        (await TextScalarAsync(fast, Dump)).ShouldBe(expected);
    }
}

[PostgresSuite]
public sealed class PostgresClickStoreTests : ClickStoreTests
{
    private protected override StorageProvider Provider => StorageProvider.Postgres;
}
