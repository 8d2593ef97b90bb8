using ChatOpsBot.Integrations.VirusTotal;
using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Stores;
using ChatOpsBot.Tests.Storage;

namespace ChatOpsBot.Tests.Cluster;

/// <summary>
/// The VirusTotal budget in the database: two instances (two stores over their own connections) share one per-minute
/// rule, one daily quota and one 429 pause, also when they reserve at the same moment.
/// </summary>
public abstract class VirusTotalBudgetStoreTests : IAsyncLifetime
{
    private const int PerMinute = 4;

    private StoreDatabase _database = null!;
    private SecondInstance _second = null!;
    private VirusTotalBudgetStore _instanceA = null!;
    private VirusTotalBudgetStore _instanceB = null!;

    protected abstract StorageProvider Provider { get; }

    private DateTimeOffset Now => _database.Time.GetUtcNow();

    private DateTimeOffset FarDeadline => Now.AddHours(1);

    public async Task InitializeAsync()
    {
        _database = await StoreDatabase.CreateMigratedAsync(Provider);
        _second = SecondInstance.Open(_database);
        _instanceA = new VirusTotalBudgetStore(_database.Connections);
        _instanceB = new VirusTotalBudgetStore(_second.Connections);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [ProviderFact]
    public async Task The_per_minute_rule_spans_both_instances()
    {
        DateTimeOffset start = Now;
        var granted = new List<VirusTotalSlotReservation>();
        for (int i = 0; i < PerMinute; i++)
        {
            granted.Add(await (i % 2 == 0 ? _instanceA : _instanceB).ReserveAsync(Now, FarDeadline, PerMinute, 500, CancellationToken.None));
        }

        VirusTotalSlotReservation fifth = await _instanceB.ReserveAsync(Now, FarDeadline, PerMinute, 500, CancellationToken.None);
        VirusTotalSlotReservation impatient = await _instanceA.ReserveAsync(Now, Now.AddSeconds(30), PerMinute, 500, CancellationToken.None);

        granted.ShouldAllBe(r => r.Outcome == VirusTotalSlotOutcome.Granted && r.SlotAt == start);
        fifth.Outcome.ShouldBe(VirusTotalSlotOutcome.Granted);
        fifth.SlotAt.ShouldBe(start + VirusTotalSlots.Window);
        impatient.Outcome.ShouldBe(VirusTotalSlotOutcome.RateLimited);
        (await _database.ScalarAsync("SELECT COUNT(*) FROM virustotal_slots")).ShouldBe(PerMinute + 1);
    }

    [ProviderFact]
    public async Task The_daily_quota_spans_both_instances_and_resets_at_midnight_utc()
    {
        for (int i = 0; i < 3; i++)
        {
            (await (i % 2 == 0 ? _instanceA : _instanceB).ReserveAsync(Now, FarDeadline, 60, 3, CancellationToken.None)).Outcome.ShouldBe(VirusTotalSlotOutcome.Granted);
        }

        (await _instanceA.ReserveAsync(Now, FarDeadline, 60, 3, CancellationToken.None)).Outcome.ShouldBe(VirusTotalSlotOutcome.DailyLimitReached);
        (await _instanceB.ReserveAsync(Now, FarDeadline, 60, 3, CancellationToken.None)).Outcome.ShouldBe(VirusTotalSlotOutcome.DailyLimitReached);

        _database.Time.Advance(VirusTotalSlots.DayStart(Now).AddDays(1) - Now);
        (await _instanceB.ReserveAsync(Now, FarDeadline, 60, 3, CancellationToken.None)).Outcome.ShouldBe(VirusTotalSlotOutcome.Granted);
    }

    [ProviderFact]
    public async Task A_pause_after_a_429_on_one_instance_holds_the_other_and_is_never_shortened()
    {
        DateTimeOffset until = Now.AddSeconds(90);
        await _instanceA.PauseUntilAsync(until, CancellationToken.None);
        await _instanceA.PauseUntilAsync(Now.AddSeconds(10), CancellationToken.None);

        VirusTotalSlotReservation next = await _instanceB.ReserveAsync(Now, FarDeadline, PerMinute, 500, CancellationToken.None);
        VirusTotalSlotReservation impatient = await _instanceB.ReserveAsync(Now, Now.AddSeconds(60), PerMinute, 500, CancellationToken.None);

        next.Outcome.ShouldBe(VirusTotalSlotOutcome.Granted);
        next.SlotAt.ShouldBe(until);
        impatient.Outcome.ShouldBe(VirusTotalSlotOutcome.RateLimited);
    }

    [ProviderFact]
    public async Task A_released_slot_is_free_again()
    {
        var slots = new List<VirusTotalSlotReservation>();
        for (int i = 0; i < PerMinute; i++)
        {
            slots.Add(await _instanceA.ReserveAsync(Now, FarDeadline, PerMinute, 500, CancellationToken.None));
        }

        await _instanceB.ReleaseAsync(slots[^1].SlotId, CancellationToken.None);
        VirusTotalSlotReservation again = await _instanceB.ReserveAsync(Now, Now.AddSeconds(1), PerMinute, 500, CancellationToken.None);

        again.Outcome.ShouldBe(VirusTotalSlotOutcome.Granted);
        again.SlotAt.ShouldBe(Now);
    }

    [ProviderFact]
    public async Task Concurrent_reservations_on_both_instances_never_put_more_than_the_limit_in_a_minute()
    {
        DateTimeOffset now = Now;
        VirusTotalSlotReservation[] reservations = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _instanceA : _instanceB).ReserveAsync(now, now.AddHours(1), PerMinute, 20, CancellationToken.None))));

        reservations.Count(r => r.Outcome == VirusTotalSlotOutcome.Granted).ShouldBe(20);
        reservations.Count(r => r.Outcome == VirusTotalSlotOutcome.DailyLimitReached).ShouldBe(4);
        DateTimeOffset[] slots = [.. reservations.Where(r => r.Outcome == VirusTotalSlotOutcome.Granted).Select(r => r.SlotAt).Order()];
        for (int i = PerMinute; i < slots.Length; i++)
        {
            (slots[i] - slots[i - PerMinute]).ShouldBeGreaterThanOrEqualTo(VirusTotalSlots.Window, $"slots {i - PerMinute} and {i} fall in one minute");
        }
    }
}

public sealed class SqliteVirusTotalBudgetStoreTests : VirusTotalBudgetStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresVirusTotalBudgetStoreTests : VirusTotalBudgetStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
