using ChatOpsBot.Storage;
using ChatOpsBot.Storage.Sqlite;

namespace ChatOpsBot.Tests.Storage;

public sealed class ReputationCacheTests : IAsyncLifetime
{
    private const string Key = "vt:file:275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";
    private const string Answer = """{"malicious":61,"undetected":5}""";

    private TestDatabase _database = null!;
    private SqliteReputationCache _cache = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();
        _cache = new SqliteReputationCache(_database.Connections, _database.Time);
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task UnknownKeyIsAMiss()
    {
        (await _cache.GetAsync(Key, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task StoredAnswerIsAHitUntilItExpires()
    {
        await _cache.SetAsync(Key, Answer, _database.Time.GetUtcNow().AddHours(24), CancellationToken.None);

        _database.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMilliseconds(1));
        (await _cache.GetAsync(Key, CancellationToken.None)).ShouldBe(Answer);

        _database.Time.Advance(TimeSpan.FromMilliseconds(1));
        (await _cache.GetAsync(Key, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task NewAnswerReplacesTheOldOneAndItsExpiry()
    {
        await _cache.SetAsync(Key, Answer, _database.Time.GetUtcNow().AddMinutes(1), CancellationToken.None);

        await _cache.SetAsync(Key, """{"malicious":0}""", _database.Time.GetUtcNow().AddHours(1), CancellationToken.None);
        _database.Time.Advance(TimeSpan.FromMinutes(2));

        (await _cache.GetAsync(Key, CancellationToken.None)).ShouldBe("""{"malicious":0}""");
    }

    [Fact]
    public async Task AnswerAlreadyExpiredIsNotStored()
    {
        await _cache.SetAsync(Key, Answer, _database.Time.GetUtcNow(), CancellationToken.None);

        (await _database.ScalarAsync("SELECT COUNT(*) FROM reputation_cache")).ShouldBe(0);
    }

    [Fact]
    public async Task LongKeysAreStoredBoundedAndStillDistinguished()
    {
        string urlKey = "vt:url:https://evil.example/" + new string('a', 10_000);
        await _cache.SetAsync(urlKey, Answer, _database.Time.GetUtcNow().AddHours(1), CancellationToken.None);

        (await _cache.GetAsync(urlKey, CancellationToken.None)).ShouldBe(Answer);
        (await _cache.GetAsync(urlKey + "b", CancellationToken.None)).ShouldBeNull();
        (await _database.ScalarAsync("SELECT MAX(LENGTH(cache_key)) FROM reputation_cache")).ShouldBeLessThanOrEqualTo(StorageLimits.StoredKeyMaxLength);
    }

    [Fact]
    public async Task OversizedAnswerIsRefused()
    {
        await Should.ThrowAsync<ArgumentException>(
            _cache.SetAsync(Key, new string('x', StorageLimits.ReputationValueMaxLength + 1), _database.Time.GetUtcNow().AddHours(1), CancellationToken.None));
    }

    [Fact]
    public async Task MaintenancePurgesExpiredAnswers()
    {
        await _cache.SetAsync(Key, Answer, _database.Time.GetUtcNow().AddMinutes(1), CancellationToken.None);
        await _cache.SetAsync("vt:file:other", Answer, _database.Time.GetUtcNow().AddHours(1), CancellationToken.None);
        _database.Time.Advance(TimeSpan.FromMinutes(1));

        StoragePurgeResult purged = await new SqliteStorageMaintenance(_database.Connections, _database.Time).PurgeExpiredAsync(CancellationToken.None);

        purged.ReputationAnswers.ShouldBe(1);
        (await _database.ScalarAsync("SELECT COUNT(*) FROM reputation_cache")).ShouldBe(1);
    }
}
