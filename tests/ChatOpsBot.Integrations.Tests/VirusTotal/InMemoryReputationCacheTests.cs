using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Integrations.Tests.VirusTotal;

public sealed class InMemoryReputationCacheTests
{
    [Fact]
    public async Task EntriesLiveUntilTheirOwnExpiry()
    {
        var clock = new ManualTimeProvider();
        var cache = new InMemoryReputationCache(clock);
        await cache.SetAsync("short", "a", clock.GetUtcNow().AddMinutes(5), CancellationToken.None);
        await cache.SetAsync("long", "b", clock.GetUtcNow().AddHours(5), CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(6));

        (await cache.GetAsync("short", CancellationToken.None)).ShouldBeNull();
        (await cache.GetAsync("long", CancellationToken.None)).ShouldBe("b");
        (await cache.GetAsync("never-set", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task TheNumberOfEntriesIsBoundedDroppingTheSoonestToExpire()
    {
        var clock = new ManualTimeProvider();
        var cache = new InMemoryReputationCache(clock);
        for (int i = 0; i <= InMemoryReputationCache.MaxEntries; i++)
        {
            await cache.SetAsync($"k{i}", "v", clock.GetUtcNow().AddMinutes(10 + i), CancellationToken.None);
        }

        cache.Count.ShouldBeLessThanOrEqualTo(InMemoryReputationCache.MaxEntries);
        cache.Count.ShouldBeGreaterThan(InMemoryReputationCache.MaxEntries / 2);
        (await cache.GetAsync("k0", CancellationToken.None)).ShouldBeNull();
        (await cache.GetAsync($"k{InMemoryReputationCache.MaxEntries}", CancellationToken.None)).ShouldBe("v");
    }
}
