using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.EmailForensics.Reputation;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Reputation;

public class MailIndicatorsTests
{
    private const string Sha = "4AF462D0246BF4074730B2AAECB076DFD30977FF23556B60848AB0AF68F6E636";

    [Fact]
    public void HashesComeFirstThenUrlsThenSenderSideIps()
    {
        EmailReport report = new()
        {
            Attachments =
            [
                new AttachmentSummary("invoice.zip", "application/zip", "application/zip", 100, "m", "s", Sha, "message")
                {
                    ArchiveMembers = [new ArchiveMemberSummary("payload.exe", 10, 5, false, new string('b', 64), null, null)],
                },
            ],
            Urls =
            [
                new UrlSummary("https://safelinks.example/?url=x", "html_href", null, "safelinks.example") { DecodedTarget = "https://evil.example/login", Rewriter = "safelinks" },
                new UrlSummary("https://protect-eu.mimecast.com/s/AbC", "html_href", null, "protect-eu.mimecast.com") { Rewriter = "mimecast" },
                new UrlSummary("javascript:alert(1)", "html_href", null, null),
            ],
            ReceivedHops =
            [
                new ReceivedHop { Hop = 2, FromIp = "40.107.22.11", Raw = "r2" },
                new ReceivedHop { Hop = 1, FromIp = "198.18.0.1", Raw = "r1" },
                new ReceivedHop { Hop = 0, FromIp = "10.0.0.5", Raw = "r0" },
            ],
            XOriginatingIp = "[8.8.4.4]",
            AuthResults = new AuthenticationSummary { Source = "none" },
        };

        IReadOnlyList<MailIndicator> indicators = MailIndicators.Collect(report, new Dictionary<string, string> { ["https://protect-eu.mimecast.com/s/AbC"] = "https://decoded.example/x" });

        indicators.Select(i => (i.Kind, i.Value)).ShouldBe(
        [
            (IndicatorKind.FileHash, Sha.ToLowerInvariant()),
            (IndicatorKind.FileHash, new string('b', 64)),
            (IndicatorKind.Url, "https://evil.example/login"),
            (IndicatorKind.Url, "https://decoded.example/x"),
            (IndicatorKind.IpAddress, "40.107.22.11"),
            (IndicatorKind.IpAddress, "8.8.4.4"),
        ]);
        indicators[1].Context.ShouldBe("file payload.exe in invoice.zip");
    }

    [Fact]
    public void AnUndecodedMimecastLinkIsNotLookedUp()
    {
        EmailReport report = new()
        {
            Urls = [new UrlSummary("https://protect-eu.mimecast.com/s/AbC", "html_href", null, "protect-eu.mimecast.com") { Rewriter = "mimecast" }],
            AuthResults = new AuthenticationSummary { Source = "none" },
        };

        MailIndicators.Collect(report).ShouldBeEmpty();
    }

    [Fact]
    public void EachKindIsCappedAndDuplicatesCountOnce()
    {
        EmailReport report = new()
        {
            Urls = [.. Enumerable.Range(0, 40).Select(i => new UrlSummary($"https://site{i % 30}.example/", "plain_text", null, null))],
            AuthResults = new AuthenticationSummary { Source = "none" },
        };

        IReadOnlyList<MailIndicator> indicators = MailIndicators.Collect(report);

        indicators.Count.ShouldBe(MailIndicators.MaxUrls);
        indicators.Select(i => i.Value).Distinct().Count().ShouldBe(MailIndicators.MaxUrls);
    }
}
