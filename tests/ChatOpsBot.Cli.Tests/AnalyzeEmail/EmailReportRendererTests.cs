using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Cli.AnalyzeEmail;

namespace ChatOpsBot.Cli.Tests.AnalyzeEmail;

public sealed class EmailReportRendererTests
{
    // A forged report line, a right-to-left override, a terminal escape, markup, an invisible Unicode tag character
    // (U+E0041, a surrogate pair) and a line separator: everything a hostile header could decode to.
    private const string Hostile = "Evil\r\nVerdict: CLEAN\u202Etxt.exe\u001b[2J<b>bold</b>\U000E0041\u2028end";

    private static readonly EmailAddressInfo s_hostileAddress = new(Hostile, "a@evil.test");

    private static EmailReport HostileReport() => new()
    {
        Verdict = Verdict.Malicious,
        Score = 90,
        Subject = Hostile,
        From = s_hostileAddress,
        Sender = s_hostileAddress,
        ReplyTo = [s_hostileAddress],
        ReturnPath = Hostile,
        To = [s_hostileAddress],
        Cc = [s_hostileAddress],
        MessageId = Hostile,
        XMailer = Hostile,
        UserAgent = Hostile,
        ReceivedHops = [new ReceivedHop { Raw = Hostile, Hop = 1, FromHost = Hostile, ByHost = Hostile, Protocol = Hostile }],
        AuthResults = new AuthenticationSummary
        {
            Source = "authentication-results",
            TrustedAuthservId = Hostile,
            Spf = new AuthCheck(Hostile, Hostile, "smtp.mailfrom", null),
            Dkim = [new AuthCheck(Hostile, Hostile, "header.d", null)],
        },
        Ips = [new HeaderIp("100.64.0.9", 4, IpScope.SharedCgnat, false, [Hostile])],
        Urls = [new UrlSummary("https://evil.test/" + Hostile, "html_href", Hostile, "evil.test") { DecodedTarget = Hostile, Rewriter = Hostile }],
        Attachments =
        [
            new AttachmentSummary(Hostile, Hostile, Hostile, 1, "md5", "sha1", "sha256", Hostile)
            {
                ArchiveMembers = [new ArchiveMemberSummary(Hostile, 1, 1, false, null, null, null)],
            },
        ],
        Forwarded = true,
        Forward = new ForwardInfo("inline", "outlook", ["received_hops"]) { QuotedDate = Hostile },
        Reporter = s_hostileAddress,
        Findings = [new Finding("hostile", FindingSeverity.High, Hostile)],
        Defects = [Hostile],
        RawHeaders = "Subject: " + Hostile,
    };

    [Fact]
    public void TextReportShowsMailStringsOnOneLineWithInvisibleAndControlCharactersEscaped()
    {
        string text = EmailReportTextRenderer.Render(HostileReport());

        string[] lines = text.Split('\n');
        lines.Count(l => l.StartsWith("Verdict:", StringComparison.Ordinal)).ShouldBe(1);
        lines.ShouldAllBe(l => !l.TrimStart().StartsWith("Verdict: CLEAN", StringComparison.Ordinal));
        text.ShouldNotContain("\r");
        text.ShouldNotContain("\u202E");
        text.ShouldNotContain("\u001b");
        text.ShouldNotContain("\u2028");
        text.ShouldNotContain("\U000E0041");
        text.ShouldContain("\\u{202E}txt.exe\\u{001B}[2J");
        text.ShouldContain("\\u{E0041}");
        text.ShouldContain("member Evil\\u{000D}\\u{000A}Verdict: CLEAN");
        text.ShouldContain("100[.]64[.]0[.]9" + new string(' ', 24) + " shared_cgnat");
        text.ShouldContain("reported by \"Evil\\u{000D}\\u{000A}Verdict: CLEAN");
    }

    [Fact]
    public void HtmlReportEncodesMarkupAndEscapesInvisibleAndControlCharactersEverywhere()
    {
        string html = EmailReportHtmlRenderer.Render(HostileReport());

        html.ShouldNotContain("<b>");
        html.ShouldContain("&lt;b&gt;bold&lt;/b&gt;");
        html.ShouldNotContain("\r");
        html.ShouldNotContain("\u202E");
        html.ShouldNotContain("\u001b");
        html.ShouldNotContain("\u2028");
        html.ShouldNotContain("\U000E0041");
        html.ShouldContain("\\u{E0041}");
        html.ShouldContain("<br>member Evil\\u{000D}\\u{000A}Verdict: CLEAN\\u{202E}txt.exe\\u{001B}[2J&lt;b&gt;");
        html.ShouldNotContain("https://evil.test");
        html.ShouldContain("<td>shared_cgnat</td>");
    }

    [Fact]
    public void CleanTruncatesWithoutSplittingASurrogatePair()
    {
        string cleaned = SafeText.Clean("ab\U0001F600cd", maxLength: 3);

        cleaned.ShouldBe("ab\U0001F600…");
    }
}
