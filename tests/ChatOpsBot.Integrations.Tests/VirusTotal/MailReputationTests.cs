using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.EmailForensics.Reputation;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.Tests.Support;
using ChatOpsBot.Integrations.VirusTotal;

namespace ChatOpsBot.Integrations.Tests.VirusTotal;

public sealed class MailReputationTests : IAsyncLifetime
{
    private const string Sha256 = "4af462d0246bf4074730b2aaecb076dfd30977ff23556b60848ab0af68f6e636";

    private FakeVirusTotalServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeVirusTotalServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task EveryIndicatorIsLookedUpOnceAndItsAnswerFoldedIntoTheVerdict()
    {
        _fake.AddFile(Sha256, malicious: 30, undetected: 40);
        _fake.AddUrl("https://evil.example/login", malicious: 0, harmless: 80, undetected: 10);
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);

        EmailReport folded = await MailReputation.AddAsync(host.Reputation, Report(), TimeSpan.FromSeconds(20), CancellationToken.None);

        folded.Reputation.Select(r => (r.Indicator.Kind, r.Verdict, r.Summary)).ShouldBe(
        [
            (IndicatorKind.FileHash, ReputationVerdict.Malicious, "30/70 engines malicious"),
            (IndicatorKind.Url, ReputationVerdict.Harmless, "0/90 engines malicious"),
            (IndicatorKind.IpAddress, ReputationVerdict.Unknown, "unknown to VirusTotal"),
        ]);
        folded.Verdict.ShouldBe(Verdict.Malicious);
        folded.Reputation[0].MaliciousEngines.ShouldBe(30);
        folded.Reputation[0].TotalEngines.ShouldBe(70);
        _fake.Requests.Count.ShouldBe(3);
        _fake.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task AMessageWithoutIndicatorsCostsNoLookup()
    {
        using IntegrationHost host = IntegrationHost.ForVirusTotal(_fake);
        EmailReport bare = new() { Verdict = Verdict.Unknown, AuthResults = new AuthenticationSummary { Source = "none" } };

        EmailReport result = await MailReputation.AddAsync(host.Reputation, bare, TimeSpan.FromSeconds(20), CancellationToken.None);

        result.ShouldBeSameAs(bare);
        _fake.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(ReputationStatus.Unavailable, ReputationVerdict.Unavailable)]
    [InlineData(ReputationStatus.QuotaExhausted, ReputationVerdict.QuotaExhausted)]
    [InlineData(ReputationStatus.Unknown, ReputationVerdict.Unknown)]
    public void UnansweredStatusesKeepTheirMeaning(ReputationStatus status, ReputationVerdict expected)
    {
        var indicator = new MailIndicator(IndicatorKind.FileHash, Sha256, "attachment a.pdf");
        var answer = new ReputationResult(ReputationQuery.FileHash(Sha256), status, "s", null, null, null, false, [], 0);

        IndicatorReputation mapped = MailReputation.ToReputation(indicator, answer);

        mapped.Verdict.ShouldBe(expected);
        mapped.IsFlagged.ShouldBeFalse();
    }

    private static EmailReport Report() => new()
    {
        Verdict = Verdict.Clean,
        Attachments = [new AttachmentSummary("invoice.pdf", "application/pdf", "application/pdf", 10, "m", "s", Sha256, "message")],
        Urls = [new UrlSummary("https://evil.example/login", "html_href", null, "evil.example")],
        ReceivedHops = [new ReceivedHop { Hop = 1, FromIp = "8.8.4.4", Raw = "r" }],
        AuthResults = new AuthenticationSummary { Source = "none" },
    };
}
