using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Stores;

namespace ChatOpsBot.Tests.Storage;

public abstract class ReputationCacheTests : IAsyncLifetime
{
    private const string Key = "vt:file:275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";
    private const string Answer = """{"malicious":61,"undetected":5}""";

    private StoreDatabase _database = null!;
    private ReputationCache _cache = null!;

    public async Task InitializeAsync()
    {
        _database = await StoreDatabase.CreateMigratedAsync(Provider);
        _cache = new ReputationCache(_database.Connections, _database.Time);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected abstract StorageProvider Provider { get; }

    [ProviderFact]
    public async Task UnknownKeyIsAMiss()
    {
        (await _cache.GetAsync(Key, CancellationToken.None)).ShouldBeNull();
    }

    [ProviderFact]
    public async Task StoredAnswerIsAHitUntilItExpires()
    {
        await _cache.SetAsync(Key, Answer, _database.Time.GetUtcNow().AddHours(24), CancellationToken.None);

        _database.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMilliseconds(1));
        (await _cache.GetAsync(Key, CancellationToken.None)).ShouldBe(Answer);

        _database.Time.Advance(TimeSpan.FromMilliseconds(1));
        (await _cache.GetAsync(Key, CancellationToken.None)).ShouldBeNull();
    }

    [ProviderFact]
    public async Task NewAnswerReplacesTheOldOneAndItsExpiry()
    {
        await _cache.SetAsync(Key, Answer, _database.Time.GetUtcNow().AddMinutes(1), CancellationToken.None);

        await _cache.SetAsync(Key, """{"malicious":0}""", _database.Time.GetUtcNow().AddHours(1), CancellationToken.None);
        _database.Time.Advance(TimeSpan.FromMinutes(2));

        (await _cache.GetAsync(Key, CancellationToken.None)).ShouldBe("""{"malicious":0}""");
    }

    [ProviderFact]
    public async Task AnswerAlreadyExpiredIsNotStored()
    {
        await _cache.SetAsync(Key, Answer, _database.Time.GetUtcNow(), CancellationToken.None);

        (await _database.ScalarAsync("SELECT COUNT(*) FROM reputation_cache")).ShouldBe(0);
    }

    [ProviderFact]
    public async Task LongKeysAreStoredBoundedAndStillDistinguished()
    {
        string urlKey = "vt:url:https://evil.example/" + new string('a', 10_000);
        await _cache.SetAsync(urlKey, Answer, _database.Time.GetUtcNow().AddHours(1), CancellationToken.None);

        (await _cache.GetAsync(urlKey, CancellationToken.None)).ShouldBe(Answer);
        (await _cache.GetAsync(urlKey + "b", CancellationToken.None)).ShouldBeNull();
        (await _database.ScalarAsync("SELECT MAX(LENGTH(cache_key)) FROM reputation_cache")).ShouldBeLessThanOrEqualTo(StorageLimits.StoredKeyMaxLength);
    }

    [ProviderFact]
    public async Task OversizedAnswerIsRefused()
    {
        await Should.ThrowAsync<ArgumentException>(
            _cache.SetAsync(Key, new string('x', StorageLimits.ReputationValueMaxLength + 1), _database.Time.GetUtcNow().AddHours(1), CancellationToken.None));
    }

    [ProviderFact]
    public async Task MaintenancePurgesExpiredAnswers()
    {
        await _cache.SetAsync(Key, Answer, _database.Time.GetUtcNow().AddMinutes(1), CancellationToken.None);
        await _cache.SetAsync("vt:file:other", Answer, _database.Time.GetUtcNow().AddHours(1), CancellationToken.None);
        _database.Time.Advance(TimeSpan.FromMinutes(1));

        StoragePurgeResult purged = await new StorageMaintenance(_database.Connections, _database.Time).PurgeExpiredAsync(CancellationToken.None);

        purged.ReputationAnswers.ShouldBe(1);
        (await _database.ScalarAsync("SELECT COUNT(*) FROM reputation_cache")).ShouldBe(1);
    }
}

public sealed class SqliteReputationCacheTests : ReputationCacheTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;
}

[PostgresSuite]
public sealed class PostgresReputationCacheTests : ReputationCacheTests
{
    protected override StorageProvider Provider => StorageProvider.Postgres;
}
