using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Stores;

namespace ChatOpsBot.Tests.Storage;

public abstract class AuditLogTests : IAsyncLifetime
{
    private StoreDatabase _database = null!;
    private AuditLog _log = null!;

    public async Task InitializeAsync()
    {
        _database = await StoreDatabase.CreateMigratedAsync(Provider);
        _log = new AuditLog(_database.Connections);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected abstract StorageProvider Provider { get; }

    [ProviderFact]
    public async Task EntryRoundTripsEveryField()
    {
        AuditEntry entry = Entry(_database.Time.GetUtcNow(), "block-sender", AuditOutcome.Denied) with
        {
            ActorName = null,
            Duration = TimeSpan.FromMilliseconds(1234),
        };

        await _log.AppendAsync(entry, CancellationToken.None);

        (await _log.LatestAsync(1, CancellationToken.None)).ShouldBe([entry]);
    }

    [ProviderFact]
    public async Task LatestReturnsNewestFirst()
    {
        DateTimeOffset start = _database.Time.GetUtcNow();
        await _log.AppendAsync(Entry(start.AddMinutes(2), "second"), CancellationToken.None);
        await _log.AppendAsync(Entry(start, "first"), CancellationToken.None);
        await _log.AppendAsync(Entry(start.AddMinutes(5), "third"), CancellationToken.None);

        (await _log.LatestAsync(10, CancellationToken.None)).Select(entry => entry.Command).ShouldBe(["third", "second", "first"]);
    }

    [ProviderFact]
    public async Task EntriesOfTheSameMillisecondComeNewestAppendedFirst()
    {
        DateTimeOffset at = _database.Time.GetUtcNow();
        foreach (string command in new[] { "a", "b", "c" })
        {
            await _log.AppendAsync(Entry(at, command), CancellationToken.None);
        }

        (await _log.LatestAsync(3, CancellationToken.None)).Select(entry => entry.Command).ShouldBe(["c", "b", "a"]);
    }

    [ProviderFact]
    public async Task LatestReturnsAtMostTheCountAskedFor()
    {
        DateTimeOffset start = _database.Time.GetUtcNow();
        for (int index = 0; index < 5; index++)
        {
            await _log.AppendAsync(Entry(start.AddSeconds(index), $"c{index}"), CancellationToken.None);
        }

        (await _log.LatestAsync(2, CancellationToken.None)).Select(entry => entry.Command).ShouldBe(["c4", "c3"]);
    }

    [ProviderFact]
    public async Task LatestIsCappedWhateverTheCountAskedFor()
    {
        await _database.ExecuteAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {StorageLimits.AuditLatestMaxCount + 5})
            INSERT INTO audit_log (occurred_at, actor_id, channel, conversation_id, command, arguments, outcome, duration_ms, correlation_id)
            SELECT i, 'u', 'msteams', 'c', 'help', '', 'Succeeded', 1, 'x' FROM n
            """);

        IReadOnlyList<AuditEntry> latest = await _log.LatestAsync(int.MaxValue, CancellationToken.None);

        latest.Count.ShouldBe(StorageLimits.AuditLatestMaxCount);
        latest[0].Timestamp.ToUnixTimeMilliseconds().ShouldBe(StorageLimits.AuditLatestMaxCount + 5);
    }

    [ProviderTheory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task NonPositiveCountIsRefused(int count)
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(_log.LatestAsync(count, CancellationToken.None));
    }

    [ProviderFact]
    public async Task OverlongFieldsAreCutToTheirLimitAndMarked()
    {
        AuditEntry entry = Entry(_database.Time.GetUtcNow(), new string('c', 10_000)) with
        {
            Arguments = new string('a', 100_000),
            ActorId = new string('i', 10_000),
            ActorName = new string('n', 10_000),
            Channel = new string('h', 10_000),
            ConversationId = new string('v', 10_000),
            CorrelationId = new string('r', 10_000),
        };

        await _log.AppendAsync(entry, CancellationToken.None);

        AuditEntry stored = (await _log.LatestAsync(1, CancellationToken.None)).Single();
        stored.Arguments.Length.ShouldBe(StorageLimits.AuditArgumentsMaxLength);
        stored.Arguments.ShouldEndWith("\u2026");
        stored.Command.Length.ShouldBe(StorageLimits.AuditCommandMaxLength);
        stored.ActorId.Length.ShouldBe(StorageLimits.AuditActorIdMaxLength);
        stored.ActorName!.Length.ShouldBe(StorageLimits.AuditActorNameMaxLength);
        stored.Channel.Length.ShouldBe(StorageLimits.AuditChannelMaxLength);
        stored.ConversationId.Length.ShouldBe(StorageLimits.AuditConversationIdMaxLength);
        stored.CorrelationId.Length.ShouldBe(StorageLimits.AuditCorrelationIdMaxLength);
    }

    [ProviderFact]
    public async Task CuttingNeverSplitsASurrogatePair()
    {
        // An emoji straddling the limit would leave a lone high surrogate, which is not valid text.
        string arguments = new string('a', StorageLimits.AuditArgumentsMaxLength - 2) + "\U0001F600\U0001F600";

        await _log.AppendAsync(Entry(_database.Time.GetUtcNow(), "x") with { Arguments = arguments }, CancellationToken.None);

        string stored = (await _log.LatestAsync(1, CancellationToken.None)).Single().Arguments;
        stored.ShouldBe(new string('a', StorageLimits.AuditArgumentsMaxLength - 2) + "\u2026");
    }

    [ProviderFact]
    public async Task ArgumentsAreStoredAsGiven()
    {
        const string arguments = "--token=abc'; DROP TABLE audit_log; -- <at>everyone</at>\r\n\u202e";

        await _log.AppendAsync(Entry(_database.Time.GetUtcNow(), "x") with { Arguments = arguments }, CancellationToken.None);

        (await _log.LatestAsync(1, CancellationToken.None)).Single().Arguments.ShouldBe(arguments);
        (await _database.TablesAsync()).ShouldContain("audit_log");
    }

    private static AuditEntry Entry(DateTimeOffset at, string command, AuditOutcome outcome = AuditOutcome.Succeeded) =>
        new(at, "aad-object-1", "Dana Whitfield", "msteams", "19:channel@thread.tacv2", command, "sender=evil@example.net", outcome,
            TimeSpan.FromMilliseconds(42), "corr-1");
}

public sealed class SqliteAuditLogTests : AuditLogTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresAuditLogTests : AuditLogTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
