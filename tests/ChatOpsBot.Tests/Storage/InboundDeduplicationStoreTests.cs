using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Stores;

namespace ChatOpsBot.Tests.Storage;

public abstract class InboundDeduplicationStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan s_window = TimeSpan.FromHours(1);

    private StoreDatabase _database = null!;
    private InboundDeduplicationStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await StoreDatabase.CreateMigratedAsync(Provider);
        _store = new InboundDeduplicationStore(_database.Connections, _database.Time);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected abstract StorageProvider Provider { get; }

    [ProviderFact]
    public async Task FirstDeliveryIsRecordedAndARepeatIsNot()
    {
        (await Record("msteams", "1234567890")).ShouldBeTrue();
        (await Record("msteams", "1234567890")).ShouldBeFalse();
    }

    [ProviderFact]
    public async Task SameIdFromAnotherSourceIsAnotherDelivery()
    {
        await Record("msteams", "Ev0123");

        (await Record("slack", "Ev0123")).ShouldBeTrue();
    }

    [ProviderFact]
    public async Task IdsDifferingInCaseAreDifferentDeliveries()
    {
        await Record("slack", "Ev0ABC");

        (await Record("slack", "ev0abc")).ShouldBeTrue();
    }

    [ProviderFact]
    public async Task DeliveryAfterTheRecordExpiredCountsAsFirstAgain()
    {
        await Record("msteams", "42");
        _database.Time.Advance(s_window);

        (await Record("msteams", "42")).ShouldBeTrue();
        (await Record("msteams", "42")).ShouldBeFalse();
    }

    [ProviderFact]
    public async Task RepeatJustBeforeExpiryIsStillARepeat()
    {
        await Record("msteams", "42");
        _database.Time.Advance(s_window - TimeSpan.FromMilliseconds(1));

        (await Record("msteams", "42")).ShouldBeFalse();
    }

    [ProviderFact]
    public async Task ConcurrentDeliveriesOfOneIdAreRecordedOnce()
    {
        using var start = new Barrier(16);

        bool[] first = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await Record("msteams", "retry-storm");
        })));

        first.Count(recorded => recorded).ShouldBe(1);
    }

    [ProviderFact]
    public async Task LongIdsAreStoredBoundedAndStillDistinguished()
    {
        string longId = new('x', 100_000);
        string otherLongId = longId[..^1] + "y";

        (await Record("msteams", longId)).ShouldBeTrue();
        (await Record("msteams", longId)).ShouldBeFalse();
        (await Record("msteams", otherLongId)).ShouldBeTrue();

        (await _database.ScalarAsync("SELECT MAX(LENGTH(delivery_id)) FROM inbound_deliveries")).ShouldBeLessThanOrEqualTo(StorageLimits.StoredKeyMaxLength);
    }

    [ProviderFact]
    public async Task IdThatLooksLikeAStoredDigestCannotCollideWithTheIdItWasHashedFrom()
    {
        string longId = new('x', 1_000);
        await Record("msteams", longId);
        string digest = (await ScalarTextAsync("SELECT delivery_id FROM inbound_deliveries"))!;

        (await Record("msteams", digest)).ShouldBeTrue();
    }

    [ProviderFact]
    public async Task ExpiredRecordsArePurgedOnTheWay()
    {
        await Record("msteams", "old-1");
        await Record("msteams", "old-2");
        _database.Time.Advance(s_window + InboundDeduplicationStore.OpportunisticPurgeInterval);

        await Record("msteams", "new");

        (await _database.ScalarAsync("SELECT COUNT(*) FROM inbound_deliveries")).ShouldBe(1);
    }

    [ProviderFact]
    public async Task MaintenancePurgesOnlyExpiredRecords()
    {
        await Record("msteams", "old");
        _database.Time.Advance(TimeSpan.FromMinutes(30));
        await Record("msteams", "recent");
        _database.Time.Advance(TimeSpan.FromMinutes(30));

        StoragePurgeResult purged = await new StorageMaintenance(_database.Connections, _database.Time).PurgeExpiredAsync(CancellationToken.None);

        purged.InboundDeliveries.ShouldBe(1);
        (await Record("msteams", "recent")).ShouldBeFalse();
    }

    [ProviderTheory]
    [InlineData("", "1")]
    [InlineData("msteams", "")]
    public async Task EmptySourceOrIdIsRefused(string source, string id)
    {
        await Should.ThrowAsync<ArgumentException>(Record(source, id));
    }

    private Task<bool> Record(string source, string id) =>
        _store.TryRecordAsync(source, id, _database.Time.GetUtcNow() + s_window, CancellationToken.None);

    private async Task<string?> ScalarTextAsync(string sql)
    {
        await using System.Data.Common.DbConnection connection = await _database.Connections.OpenAsync(CancellationToken.None);
        using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() as string;
    }
}

public sealed class SqliteInboundDeduplicationStoreTests : InboundDeduplicationStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresInboundDeduplicationStoreTests : InboundDeduplicationStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
