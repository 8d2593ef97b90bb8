using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.Tests.Support;
using ChatOpsBot.Integrations.VirusTotal;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Integrations.Tests.VirusTotal;

public sealed class ReputationCacheAndLimitTests : IAsyncLifetime
{
    private const string Sha256 = "4af462d0246bf4074730b2aaecb076dfd30977ff23556b60848ab0af68f6e636";

    private FakeVirusTotalServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeVirusTotalServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task ACachedAnswerPreventsASecondRequestWithinItsLifetime()
    {
        _fake.AddFile(Sha256, malicious: 4);
        var clock = new ManualTimeProvider();
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, timeProvider: clock);

        ReputationResult fresh = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], TimeSpan.FromSeconds(20), CancellationToken.None))[0];
        clock.Advance(TimeSpan.FromHours(23));
        ReputationResult cached = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], TimeSpan.FromSeconds(20), CancellationToken.None))[0];

        _fake.Requests.Count.ShouldBe(1);
        fresh.FromCache.ShouldBeFalse();
        cached.FromCache.ShouldBeTrue();
        cached.Status.ShouldBe(fresh.Status);
        cached.Summary.ShouldBe(fresh.Summary);
        cached.Engines.ShouldBe(fresh.Engines);
        cached.LastAnalysisDate.ShouldBe(fresh.LastAnalysisDate);

        clock.Advance(TimeSpan.FromHours(2));
        await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], TimeSpan.FromSeconds(20), CancellationToken.None);
        _fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task UnknownAnswersAreCachedForTheShorterLifetime()
    {
        var clock = new ManualTimeProvider();
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, s => s["VirusTotal:UnknownCacheTtl"] = "01:00:00", clock);
        ReputationQuery query = ReputationQuery.Domain("new-campaign.example");

        await host.Reputation.LookupAsync([query], TimeSpan.FromSeconds(20), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(59));
        ReputationResult stillCached = (await host.Reputation.LookupAsync([query], TimeSpan.FromSeconds(20), CancellationToken.None))[0];
        clock.Advance(TimeSpan.FromMinutes(2));
        _fake.AddDomain("new-campaign.example", malicious: 9);
        ReputationResult later = (await host.Reputation.LookupAsync([query], TimeSpan.FromSeconds(20), CancellationToken.None))[0];

        stillCached.Status.ShouldBe(ReputationStatus.Unknown);
        stillCached.FromCache.ShouldBeTrue();
        later.Status.ShouldBe(ReputationStatus.Malicious);
        _fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task ConcurrentLookupsOfOneIndicatorShareOneRequest()
    {
        _fake.AddFile(Sha256, malicious: 1);
        _fake.EnqueueFault(FakeFault.Slow(TimeSpan.FromMilliseconds(300)));
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);
        IReputationService service = host.Reputation;

        Task<IReadOnlyList<ReputationResult>>[] lookups = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => service.LookupAsync(
                [ReputationQuery.FileHash(Sha256), ReputationQuery.FileHash(Sha256.ToUpperInvariant())], TimeSpan.FromSeconds(20), CancellationToken.None)))
            .ToArray();
        IReadOnlyList<ReputationResult>[] answers = await Task.WhenAll(lookups);

        _fake.Requests.Count.ShouldBe(1);
        answers.SelectMany(a => a).ShouldAllBe(r => r.Status == ReputationStatus.Malicious);
    }

    [Fact]
    public async Task ASlowApiIsUnavailableAtTheDeadlineAndItsLateAnswerIsStillCached()
    {
        _fake.AddFile(Sha256, malicious: 1);
        _fake.EnqueueFault(FakeFault.Slow(TimeSpan.FromSeconds(2)));
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        IReadOnlyList<ReputationResult> results = await host.Reputation.LookupAsync(
            [ReputationQuery.FileHash(Sha256)], TimeSpan.FromMilliseconds(200), CancellationToken.None);

        results[0].Status.ShouldBe(ReputationStatus.Unavailable);
        results[0].Summary.ShouldBe("unavailable: no answer before the deadline");

        IReputationCache cache = host.Services.GetRequiredService<IReputationCache>();
        await Poll.UntilAsync(async () => await cache.GetAsync("vt:v1:file:" + Sha256, CancellationToken.None) is not null);
        ReputationResult later = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], TimeSpan.FromMilliseconds(200), CancellationToken.None))[0];
        later.Status.ShouldBe(ReputationStatus.Malicious);
        later.FromCache.ShouldBeTrue();
        _fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task TheLimiterNeverExceedsItsRateUnderConcurrentLookups()
    {
        const int perMinute = 4;
        const int distinctIndicators = 15;
        var clock = new ManualTimeProvider();
        DateTimeOffset start = clock.GetUtcNow();
        _fake.Clock = clock;
        // A persistent cache slower than the fake (SQLite on a busy disk): answers reach the callers well after the fake
        // has sent them, the window in which an earlier version of this test stepped the clock into the deadline.
        var slowCache = new SlowWriteCache(new InMemoryReputationCache(clock), TimeSpan.FromMilliseconds(30));
        using IntegrationHost host = IntegrationHost.ForVirusTotal(
            _fake,
            s => s["VirusTotal:RequestsPerMinute"] = perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            clock,
            services => services.AddSingleton<IReputationCache>(slowCache));
        VirusTotalRateLimiter limiter = host.Services.GetRequiredService<VirusTotalRateLimiter>();
        IReputationService service = host.Reputation;

        // Several analyses at once, each with a few indicators, some shared between analyses.
        Task<IReadOnlyList<ReputationResult>>[] analyses = Enumerable.Range(0, 7)
            .Select(a => Task.Run(() => service.LookupAsync(
                [ReputationQuery.Domain($"site{a * 2}.example"), ReputationQuery.Domain($"site{(a * 2) + 1}.example"), ReputationQuery.Domain("shared.example")],
                TimeSpan.FromMinutes(10),
                CancellationToken.None)))
            .ToArray();

        // The clock moves only while a lookup is parked on the limiter (its slot's timer has not fired) and every other
        // one has been answered by the fake, so each request's timestamp is its slot. A lookup released by a step counts
        // neither as parked nor as sent until its request arrives, so the loop waits for it however long its
        // continuation waits for a thread. Once every request is out the clock stays put: moving it on while callers
        // still read their answers would run it into their 10-minute deadline, a manual-clock timer too, and turn late
        // readers into "no answer before the deadline".
        for (int step = 0; _fake.Requests.Count < distinctIndicators; step++)
        {
            step.ShouldBeLessThan(600, "the limiter never released the remaining lookups");
            await Poll.UntilAsync(() => Task.FromResult(
                _fake.InFlight == 0 && limiter.Waiting + _fake.Requests.Count == distinctIndicators));
            if (_fake.Requests.Count < distinctIndicators)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        IReadOnlyList<ReputationResult>[] answers = await Task.WhenAll(analyses);
        answers.SelectMany(a => a).ShouldAllBe(r => r.Status == ReputationStatus.Unknown);
        List<DateTimeOffset> sent = _fake.Requests.Select(r => r.At).Order().ToList();
        sent.Count.ShouldBe(distinctIndicators);
        for (int i = perMinute; i < sent.Count; i++)
        {
            (sent[i] - sent[i - perMinute]).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(1), $"request {i} broke the rolling minute");
        }

        // Nor slower than its rate: four requests in each minute, starting at once.
        sent.ShouldBe(Enumerable.Range(0, distinctIndicators).Select(i => start + TimeSpan.FromMinutes(i / perMinute)));
    }

    [Fact]
    public async Task ALookupWhoseSlotFallsAfterTheDeadlineIsRateLimitedAtOnce()
    {
        var clock = new ManualTimeProvider();
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, s => s["VirusTotal:RequestsPerMinute"] = "1", clock);

        IReadOnlyList<ReputationResult> results = await host.Reputation.LookupAsync(
            [ReputationQuery.Domain("a.example"), ReputationQuery.Domain("b.example")], TimeSpan.FromSeconds(30), CancellationToken.None);

        results[0].Status.ShouldBe(ReputationStatus.Unknown);
        results[1].Status.ShouldBe(ReputationStatus.Unavailable);
        results[1].Summary.ShouldBe("unavailable: rate limited, no VirusTotal request slot before the deadline (1 per minute)");
        _fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task TheDailyLimitIsQuotaExhaustedUntilTheUtcDayTurns()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 2, 23, 0, 0, TimeSpan.Zero));
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, s => s["VirusTotal:DailyLimit"] = "2", clock);

        IReadOnlyList<ReputationResult> today = await host.Reputation.LookupAsync(
            [ReputationQuery.Domain("a.example"), ReputationQuery.Domain("b.example"), ReputationQuery.Domain("c.example")],
            TimeSpan.FromSeconds(30),
            CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1));
        ReputationResult tomorrow = (await host.Reputation.LookupAsync([ReputationQuery.Domain("c.example")], TimeSpan.FromSeconds(30), CancellationToken.None))[0];

        today.Count(r => r.Status == ReputationStatus.QuotaExhausted).ShouldBe(1);
        today.Single(r => r.Status == ReputationStatus.QuotaExhausted).Summary
            .ShouldBe("quota exhausted: the daily limit of 2 VirusTotal lookups is used (resets 00:00 UTC)");
        tomorrow.Status.ShouldBe(ReputationStatus.Unknown);
        _fake.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task ATamperedCacheRowCannotChangeTheVerdictOrTheSummary()
    {
        var cache = new InMemoryReputationCache(TimeProvider.System);
        await cache.SetAsync(
            "vt:v1:file:" + Sha256,
            """{"version":1,"status":"Malicious","engines":{"malicious":0,"suspicious":0,"harmless":50,"undetected":20},"retrievedAt":"2026-11-01T00:00:00+00:00"}""",
            DateTimeOffset.UtcNow.AddHours(1),
            CancellationToken.None);
        await cache.SetAsync("vt:v1:domain:evil.example", "not json", DateTimeOffset.UtcNow.AddHours(1), CancellationToken.None);
        _fake.AddDomain("evil.example", malicious: 2);
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, configure: services => services.AddSingleton<IReputationCache>(cache));

        IReadOnlyList<ReputationResult> results = await host.Reputation.LookupAsync(
            [ReputationQuery.FileHash(Sha256), ReputationQuery.Domain("evil.example")], TimeSpan.FromSeconds(20), CancellationToken.None);

        results[0].FromCache.ShouldBeTrue();
        results[0].Status.ShouldBe(ReputationStatus.Harmless);
        results[0].Summary.ShouldBe("0/70 engines malicious");
        results[1].FromCache.ShouldBeFalse();
        results[1].Status.ShouldBe(ReputationStatus.Malicious);
    }

    [Fact]
    public async Task UrlsAreCachedUnderAHashNotTheUrlItself()
    {
        const string url = "https://evil.example/reset?token=SECRET-TOKEN-123";
        var cache = new InMemoryReputationCache(TimeProvider.System);
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, configure: services => services.AddSingleton<IReputationCache>(cache));

        await host.Reputation.LookupAsync([ReputationQuery.Url(url)], TimeSpan.FromSeconds(20), CancellationToken.None);

        cache.Count.ShouldBe(1);
        string key = "vt:v1:url:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(url)));
        (await cache.GetAsync(key, CancellationToken.None)).ShouldNotBeNull().ShouldNotContain("SECRET-TOKEN");
        host.Logs.AllText.ShouldNotContain("SECRET-TOKEN");
        host.Logs.AllText.ShouldNotContain(VirusTotalUrlId.For(url));
    }
}

/// <summary>A cache whose writes take real time, as a database's do.</summary>
internal sealed class SlowWriteCache(IReputationCache inner, TimeSpan writeTime) : IReputationCache
{
    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public async Task SetAsync(string key, string value, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await Task.Delay(writeTime, cancellationToken);
        await inner.SetAsync(key, value, expiresAt, cancellationToken);
    }
}

internal static class Poll
{
    /// <summary>Waits (real time, bounded) for a condition other threads make true; fails the test if they never do.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var budget = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (budget.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("The condition never held.");
            }

            await Task.Delay(5);
        }
    }
}
