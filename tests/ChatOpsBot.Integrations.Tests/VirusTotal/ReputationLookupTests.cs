using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.Tests.Support;
using ChatOpsBot.Integrations.VirusTotal;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Integrations.Tests.VirusTotal;

public sealed class ReputationLookupTests : IAsyncLifetime
{
    private const string Sha256 = "168dde02cf41aed3bf31ad831b75d8ee0b738304baa6957c40e29b2487f15116";
    private const string Md5 = "44d88612fea8a8f36de82e1278abb02f";

    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    private FakeVirusTotalServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeVirusTotalServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task FileHashReportGivesALinkFreeEngineSummaryAndAnalysisDate()
    {
        _fake.AddFile(Sha256, malicious: 7, harmless: 0, undetected: 63, md5: Md5);
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        IReadOnlyList<ReputationResult> results = await host.Reputation.LookupAsync(
            [ReputationQuery.FileHash(Sha256.ToUpperInvariant()), ReputationQuery.FileHash(Md5)], s_deadline, CancellationToken.None);

        ReputationResult bySha = results[0];
        bySha.Status.ShouldBe(ReputationStatus.Malicious);
        bySha.Summary.ShouldBe("7/70 engines malicious");
        bySha.Engines.ShouldBe(new ReputationEngineCounts(7, 0, 0, 63));
        bySha.LastAnalysisDate.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1700000000));
        bySha.IsFlagged.ShouldBeTrue();
        bySha.Query.Value.ShouldBe(Sha256.ToUpperInvariant());
        results[1].Status.ShouldBe(ReputationStatus.Malicious);
        _fake.Requests.Select(r => r.Path).ShouldBe(["/api/v3/files/" + Sha256, "/api/v3/files/" + Md5], ignoreOrder: true);
    }

    [Fact]
    public async Task UrlIsLookedUpByItsUnpaddedBase64UrlId()
    {
        // "?>" and the length make standard base64 produce '+', '/' and '=' padding.
        const string url = "https://evil.example/login?>?>?a=1";
        VirusTotalUrlId.For(url).ShouldBe(FakeVirusTotalServer.UrlId(url));
        VirusTotalUrlId.For(url).ShouldNotContain("=");
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(url)).IndexOfAny(['+', '/', '=']).ShouldBeGreaterThanOrEqualTo(0);
        _fake.AddUrl(url, malicious: 3, suspicious: 2, harmless: 60, undetected: 5);
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        ReputationResult result = (await host.Reputation.LookupAsync([ReputationQuery.Url(url)], s_deadline, CancellationToken.None))[0];

        result.Status.ShouldBe(ReputationStatus.Malicious);
        result.Summary.ShouldBe("3/70 engines malicious, 2 suspicious");
        _fake.Requests.Single().Path.ShouldBe("/api/v3/urls/" + FakeVirusTotalServer.UrlId(url));
    }

    [Fact]
    public async Task DomainIpAndResolutionsAreReported()
    {
        _fake.AddDomain("evil.example", malicious: 0, suspicious: 1);
        _fake.AddIp("203.0.114.7", malicious: 0, harmless: 70, undetected: 0);
        _fake.AddResolutions("203.0.114.7", ("bad.example", 5, 0), ("fine.example", 0, 0), ("odd.example", 0, 2));
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        IReadOnlyList<ReputationResult> results = await host.Reputation.LookupAsync(
            [ReputationQuery.Domain("EVIL.Example."),
             ReputationQuery.IpAddress("203.0.114.7"),
             ReputationQuery.IpResolutions("203.0.114.7")],
            s_deadline,
            CancellationToken.None);

        results[0].Status.ShouldBe(ReputationStatus.Suspicious);
        results[0].Summary.ShouldBe("0/71 engines malicious, 1 suspicious");
        results[0].IsFlagged.ShouldBeTrue();
        results[1].Status.ShouldBe(ReputationStatus.Harmless);
        results[1].Summary.ShouldBe("0/70 engines malicious");
        results[1].IsFlagged.ShouldBeFalse();
        results[2].Status.ShouldBe(ReputationStatus.Malicious);
        results[2].Summary.ShouldBe("2/3 domains seen on this IP flagged by engines");
        results[2].FlaggedHosts.Select(h => (h.HostName, h.Malicious, h.Suspicious)).ShouldBe([("bad.example", 5, 0), ("odd.example", 0, 2)]);
        _fake.Requests.ShouldContain(r => r.Path == "/api/v3/ip_addresses/203.0.114.7/resolutions?limit=40");
    }

    [Fact]
    public async Task UnknownToVirusTotalIsAResultNotAnError()
    {
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        ReputationResult result = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], s_deadline, CancellationToken.None))[0];

        result.Status.ShouldBe(ReputationStatus.Unknown);
        result.Summary.ShouldBe("unknown to VirusTotal");
        result.IsFlagged.ShouldBeFalse();
    }

    [Fact]
    public async Task QuotaExceededIsReportedAsQuotaExhaustedAndPausesLookups()
    {
        _fake.AddFile(Sha256, malicious: 1);
        _fake.EnqueueFault(FakeFault.VirusTotalQuotaExceeded());
        var clock = new ManualTimeProvider();
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, s => s["VirusTotal:QuotaBackoff"] = "00:01:00", clock);

        ReputationResult first = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], s_deadline, CancellationToken.None))[0];
        ReputationResult during = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], s_deadline, CancellationToken.None))[0];
        clock.Advance(TimeSpan.FromSeconds(61));
        ReputationResult after = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], s_deadline, CancellationToken.None))[0];

        first.Status.ShouldBe(ReputationStatus.QuotaExhausted);
        first.Summary.ShouldBe("quota exhausted: VirusTotal answered 429 QuotaExceededError");
        first.IsFlagged.ShouldBeFalse();
        during.Status.ShouldBe(ReputationStatus.Unavailable);
        during.Summary.ShouldStartWith("unavailable: rate limited");
        after.Status.ShouldBe(ReputationStatus.Malicious);
        _fake.Requests.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(503, "unavailable: VirusTotal error 503 TransientError")]
    [InlineData(401, "unavailable: VirusTotal refused the API key (WrongCredentialsError)")]
    public async Task OtherFailuresAreUnavailableWithAReasonAndNotCached(int status, string summary)
    {
        _fake.AddFile(Sha256, malicious: 0);
        _fake.EnqueueFault(status == 503 ? FakeFault.VirusTotalTransient() : FakeFault.VirusTotalWrongCredentials());
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        ReputationResult failed = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], s_deadline, CancellationToken.None))[0];
        ReputationResult retried = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], s_deadline, CancellationToken.None))[0];

        failed.Status.ShouldBe(ReputationStatus.Unavailable);
        failed.Summary.ShouldBe(summary);
        retried.Status.ShouldBe(ReputationStatus.Harmless);
        _fake.Requests.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(FakeFault.TruncatedJson)]
    [InlineData("{\"data\":[]}")]
    [InlineData("null")]
    public async Task MalformedAnswersAreUnavailableNeverACrash(string body)
    {
        _fake.EnqueueFault(FakeFault.Malformed(body));
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        ReputationResult result = (await host.Reputation.LookupAsync([ReputationQuery.Domain("evil.example")], s_deadline, CancellationToken.None))[0];

        result.Status.ShouldBe(ReputationStatus.Unavailable);
        result.Summary.ShouldBe("unavailable: VirusTotal's answer was unreadable");
    }

    [Fact]
    public async Task ErrorMessagesFromVirusTotalNeverReachTheSummary()
    {
        _fake.EnqueueFault(FakeFault.Status(500, """{"error":{"code":"Bad code with spaces","message":"see https://evil.example/x"}}"""));
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        ReputationResult result = (await host.Reputation.LookupAsync([ReputationQuery.Url("https://evil.example/x")], s_deadline, CancellationToken.None))[0];

        result.Summary.ShouldBe("unavailable: VirusTotal error 500");
    }

    [Fact]
    public async Task NotConfiguredAnswersUnavailableWithoutCallingOut()
    {
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, s => s["VirusTotal:ApiKey"] = "");

        host.Reputation.IsConfigured.ShouldBeFalse();
        IReadOnlyList<ReputationResult> results = await host.Reputation.LookupAsync(
            [ReputationQuery.FileHash(Sha256), ReputationQuery.IpAddress("8.8.8.8")], s_deadline, CancellationToken.None);

        results.ShouldAllBe(r => r.Status == ReputationStatus.Unavailable && r.Summary == "unavailable: VirusTotal is not configured");
        _fake.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(ReputationIndicatorKind.IpAddress, "10.1.2.3", "not a public IP address")]
    [InlineData(ReputationIndicatorKind.IpAddress, "127.0.0.1", "not a public IP address")]
    [InlineData(ReputationIndicatorKind.IpResolutions, "fe80::1", "not a public IP address")]
    [InlineData(ReputationIndicatorKind.IpAddress, "::ffff:192.168.1.1", "not a public IP address")]
    [InlineData(ReputationIndicatorKind.IpAddress, "1", "not an IP address")]
    [InlineData(ReputationIndicatorKind.FileHash, "abc", "not an MD5, SHA-1 or SHA-256 hash")]
    [InlineData(ReputationIndicatorKind.FileHash, "../../users/me", "not an MD5, SHA-1 or SHA-256 hash")]
    [InlineData(ReputationIndicatorKind.Url, "file:///etc/passwd", "not an http, https or ftp URL")]
    [InlineData(ReputationIndicatorKind.Url, "https://a.example/ x", "not an http, https or ftp URL")]
    [InlineData(ReputationIndicatorKind.Domain, "evil.example/../../files", "not a domain name")]
    [InlineData(ReputationIndicatorKind.Domain, "localhost", "not a domain name")]
    public async Task IndicatorsThatAreNotPlainlyValidAreNeverSent(ReputationIndicatorKind kind, string value, string reason)
    {
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        ReputationResult result = (await host.Reputation.LookupAsync([new ReputationQuery(kind, value)], s_deadline, CancellationToken.None))[0];

        result.Status.ShouldBe(ReputationStatus.Unavailable);
        result.Summary.ShouldBe("unavailable: not looked up, " + reason);
        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task ResultsComeBackInTheCallersOrderWhateverTheLookupOrder()
    {
        _fake.AddIp("8.8.8.8", 0);
        _fake.AddFile(Sha256, 2);
        _fake.AddDomain("evil.example", 1);
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);
        ReputationQuery[] queries = [ReputationQuery.IpAddress("8.8.8.8"), ReputationQuery.Domain("evil.example"), ReputationQuery.FileHash(Sha256)];

        IReadOnlyList<ReputationResult> results = await host.Reputation.LookupAsync(queries, s_deadline, CancellationToken.None);

        results.Select(r => r.Query).ShouldBe(queries);
    }

    [Fact]
    public async Task ThePerCallLookupLimitStopsAMailFromSpendingTheDailyBudget()
    {
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, s => s["VirusTotal:MaxLookupsPerCall"] = "3");
        ReputationQuery[] queries = Enumerable.Range(1, 5).Select(i => ReputationQuery.Domain($"site{i}.example")).ToArray();

        IReadOnlyList<ReputationResult> results = await host.Reputation.LookupAsync(queries, s_deadline, CancellationToken.None);

        results.Take(3).ShouldAllBe(r => r.Status == ReputationStatus.Unknown);
        results.Skip(3).ShouldAllBe(r => r.Summary == "unavailable: not looked up, over the limit of 3 lookups per analysis");
        _fake.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task AnAnswerSlowerThanTheRequestTimeoutFreesTheIndicatorForTheNextLookup()
    {
        _fake.AddFile(Sha256, malicious: 1);
        _fake.EnqueueFault(FakeFault.Slow(TimeSpan.FromSeconds(60)));
        // The timeout also applies to the second, prompt answer: it must leave room for a loaded CI machine.
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake, s => s["VirusTotal:RequestTimeout"] = "00:00:03");

        ReputationResult slow = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], s_deadline, CancellationToken.None))[0];
        ReputationResult next = (await host.Reputation.LookupAsync([ReputationQuery.FileHash(Sha256)], s_deadline, CancellationToken.None))[0];

        slow.Summary.ShouldBe("unavailable: VirusTotal did not answer in time");
        next.Status.ShouldBe(ReputationStatus.Malicious);
    }
}
