using System.Data.Common;
using System.Globalization;
using ChatOpsBot.Alerts.Storage;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Storage;

namespace ChatOpsBot.Tests.Alerts;

/// <summary>
/// What several instances sharing one database rely on, on each provider: a due outbox row is claimed by exactly one
/// caller, and the alert write transactions (read, then write) never interleave, so no update is lost.
/// </summary>
public abstract class AlertStorageConcurrencyTests : IAsyncLifetime
{
    private const int Callers = 8;

    private StoreDatabase _database = null!;

    protected abstract StorageProvider Provider { get; }

    public async Task InitializeAsync() => _database = await StoreDatabase.CreateMigratedAsync(Provider);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [ProviderFact]
    public async Task ConcurrentClaimsOfOneDueDeliveryHaveExactlyOneWinner()
    {
        DateTimeOffset now = _database.Time.GetUtcNow();
        long at = now.ToUnixTimeMilliseconds();
        await _database.ExecuteAsync($"""
            INSERT INTO alerts (alert_id, kind, subject_key, status, payload_json, raised_at, updated_at, expires_at, suppressed_repeats)
            VALUES ('a1', 'url-click', 'https://evil.example/', 'open', '{"{}"}', {at}, {at}, {at + 86_400_000}, 0);
            INSERT INTO alert_deliveries (alert_id, target, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES ('a1', 'mailto:soc@corp.example', 'pending', 0, {at}, {at}, {at});
            """);
        var delivery = new AlertDelivery("a1", "mailto:soc@corp.example", "pending", 0, now, null, null, null, null, null, null, now);
        using var start = new Barrier(Callers);

        bool[] won = await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            await using DbConnection connection = await _database.Connections.OpenAsync(CancellationToken.None);
            start.SignalAndWait();
            return await AlertStore.ClaimAsync(connection, delivery, $"instance-{caller}", now, now.AddMinutes(5), CancellationToken.None);
        })));

        won.Count(claimed => claimed).ShouldBe(1);
        (await _database.ScalarAsync("SELECT attempts FROM alert_deliveries WHERE alert_id = 'a1'")).ShouldBe(1);
        int winner = Array.IndexOf(won, true);
        (await _database.ScalarAsync($"SELECT COUNT(*) FROM alert_deliveries WHERE claimed_by = 'instance-{winner}' AND status = 'sending'")).ShouldBe(1);
    }

    [ProviderFact]
    public async Task WriteTransactionsThatReadThenWriteLoseNoUpdate()
    {
        const int increments = 10;
        await _database.ExecuteAsync("INSERT INTO app_metadata (metadata_key, metadata_value, updated_at) VALUES ('counter', '0', 0)");
        var database = new AlertDatabase(_database.Connections);
        using var start = new Barrier(Callers);

        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            for (int i = 0; i < increments; i++)
            {
                await database.WriteAsync(async (connection, transaction) =>
                {
                    using DbCommand read = connection.Command(transaction, "SELECT metadata_value FROM app_metadata WHERE metadata_key = 'counter'");
                    int value = int.Parse((string)(await read.ExecuteScalarAsync())!, CultureInfo.InvariantCulture);
                    await Task.Yield();
                    using DbCommand write = connection.Command(transaction, "UPDATE app_metadata SET metadata_value = @value WHERE metadata_key = 'counter'")
                        .With("@value", (value + 1).ToString(CultureInfo.InvariantCulture));
                    return await write.ExecuteNonQueryAsync();
                }, CancellationToken.None);
            }
        })));

        await using DbConnection connection = await _database.Connections.OpenAsync(CancellationToken.None);
        using DbCommand command = connection.Command(null, "SELECT metadata_value FROM app_metadata WHERE metadata_key = 'counter'");
        (await command.ExecuteScalarAsync()).ShouldBe((Callers * increments).ToString(CultureInfo.InvariantCulture));
    }
}

public sealed class SqliteAlertStorageConcurrencyTests : AlertStorageConcurrencyTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresAlertStorageConcurrencyTests : AlertStorageConcurrencyTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
