using System.Data.Common;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Storage;

namespace ChatOpsBot.Tests.Cluster;

/// <summary>
/// The outbox claim under concurrency from two instances (two connection factories, many connections at once): the
/// conditional UPDATE lets exactly one claimer take a pending delivery, and exactly one take over an abandoned one.
/// On PostgreSQL (READ COMMITTED) a concurrent UPDATE of the same row waits for the first and re-checks the WHERE
/// clause against the committed row, which no longer says 'pending'.
/// </summary>
public abstract class OutboxClaimConcurrencyTests : IAsyncLifetime
{
    private const string AlertId = "alt-cluster-claim";
    private const string Target = "mail:soc@corp.example";
    private const int Claimers = 16;

    private StoreDatabase _database = null!;
    private SecondInstance _second = null!;

    protected abstract StorageProvider Provider { get; }

    public async Task InitializeAsync()
    {
        _database = await StoreDatabase.CreateMigratedAsync(Provider);
        _second = SecondInstance.Open(_database);
        long now = _database.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await _database.ExecuteAsync($"""
            INSERT INTO alerts (alert_id, kind, subject_key, status, payload_json, raised_at, updated_at, expires_at)
            VALUES ('{AlertId}', 'url-click', 'https://evil.example/', 'open', '{"{}"}', {now}, {now}, {now + 86_400_000})
            """);
        await _database.ExecuteAsync($"""
            INSERT INTO alert_deliveries (alert_id, target, status, next_attempt_at, created_at, updated_at)
            VALUES ('{AlertId}', '{Target}', 'pending', {now}, {now}, {now})
            """);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [ProviderFact]
    public async Task Exactly_one_of_many_concurrent_claimers_on_two_instances_takes_a_pending_delivery()
    {
        AlertDelivery delivery = await DeliveryAsync();
        DateTimeOffset now = _database.Time.GetUtcNow();

        bool[] claimed = await Task.WhenAll(Enumerable.Range(0, Claimers).Select(i => Task.Run(async () =>
        {
            DatabaseConnectionFactory connections = i % 2 == 0 ? _database.Connections : _second.Connections;
            await using DbConnection connection = await connections.OpenAsync(CancellationToken.None);
            return await AlertStore.ClaimAsync(connection, delivery, $"owner-{i}", now, now.AddMinutes(5), CancellationToken.None);
        })));

        claimed.Count(c => c).ShouldBe(1);
        AlertDelivery after = await DeliveryAsync();
        after.Status.ShouldBe("sending");
        after.ClaimedBy.ShouldBe($"owner-{Array.IndexOf(claimed, true)}");
        after.Attempts.ShouldBe(1);
    }

    [ProviderFact]
    public async Task Exactly_one_of_many_concurrent_reconcilers_takes_over_an_abandoned_send()
    {
        DateTimeOffset now = _database.Time.GetUtcNow();
        await using (DbConnection connection = await _database.Connections.OpenAsync(CancellationToken.None))
        {
            (await AlertStore.ClaimAsync(connection, await DeliveryAsync(), "dead-instance", now, now.AddMinutes(5), CancellationToken.None)).ShouldBeTrue();
        }

        _database.Time.Advance(TimeSpan.FromMinutes(6));
        AlertDelivery abandoned = await DeliveryAsync();
        DateTimeOffset later = _database.Time.GetUtcNow();

        bool[] taken = await Task.WhenAll(Enumerable.Range(0, Claimers).Select(i => Task.Run(async () =>
        {
            DatabaseConnectionFactory connections = i % 2 == 0 ? _database.Connections : _second.Connections;
            await using DbConnection connection = await connections.OpenAsync(CancellationToken.None);
            return await AlertStore.ClaimAbandonedAsync(connection, abandoned, $"reconciler-{i}", later, later.AddMinutes(5), CancellationToken.None);
        })));

        taken.Count(t => t).ShouldBe(1);
        (await DeliveryAsync()).ClaimedBy.ShouldBe($"reconciler-{Array.IndexOf(taken, true)}");
    }

    private async Task<AlertDelivery> DeliveryAsync()
    {
        await using DbConnection connection = await _database.Connections.OpenAsync(CancellationToken.None);
        List<AlertDelivery> deliveries = await AlertStore.DeliveriesAsync(connection, AlertId, null, null, 10, CancellationToken.None);
        return deliveries.ShouldHaveSingleItem();
    }
}

public sealed class SqliteOutboxClaimConcurrencyTests : OutboxClaimConcurrencyTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresOutboxClaimConcurrencyTests : OutboxClaimConcurrencyTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
