using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Links;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Links;

public class UrlExtractorTests
{
    private static ExtractedUrl Single(IReadOnlyList<ExtractedUrl> urls) => urls.ShouldHaveSingleItem();

    private static IEnumerable<string> Codes(ExtractedUrl url) => url.Findings.Select(finding => finding.Code);

    [Fact]
    public void PlainTextFindsSchemeAndWwwUrlsInOrder()
    {
        IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract("Visit https://a.example/x or www.b.example/y and ftp://c.example/z today", null);

        urls.Select(url => url.Url).ShouldBe(["https://a.example/x", "http://www.b.example/y", "ftp://c.example/z"]);
        urls.ShouldAllBe(url => url.Source == UrlSource.PlainText);
        urls.Select(url => url.Host).ShouldBe(["a.example", "www.b.example", "c.example"]);
    }

    [Theory]
    [InlineData("See https://a.example/page.", "https://a.example/page")]
    [InlineData("See https://a.example/page, then", "https://a.example/page")]
    [InlineData("(see https://a.example/page)", "https://a.example/page")]
    [InlineData("https://en.wikipedia.example/wiki/Foo_(bar)", "https://en.wikipedia.example/wiki/Foo_(bar)")]
    [InlineData("(https://en.wikipedia.example/wiki/Foo_(bar))", "https://en.wikipedia.example/wiki/Foo_(bar)")]
    [InlineData("<https://a.example/angle>", "https://a.example/angle")]
    [InlineData("\"https://a.example/quoted\"", "https://a.example/quoted")]
    [InlineData("Is it https://a.example/q?x=1!", "https://a.example/q?x=1")]
    public void PlainTextTrimsTrailingPunctuationAndUnbalancedBrackets(string text, string expected)
    {
        Single(UrlExtractor.Extract(text, null)).Url.ShouldBe(expected);
    }

    [Theory]
    [InlineData("hxxps://evil[.]example/login", "https://evil.example/login")]
    [InlineData("hXXp://evil[.]example/", "http://evil.example/")]
    [InlineData("https[:]//evil(.)example/a", "https://evil.example/a")]
    [InlineData("www[.]evil[.]example", "http://www.evil.example/")]
    public void PlainTextRecognisesDefangedUrls(string text, string expected)
    {
        Single(UrlExtractor.Extract(text, null)).Url.ShouldBe(expected);
    }

    [Fact]
    public void PlainTextIgnoresSchemesGluedToWords()
    {
        UrlExtractor.Extract("xhttp://a.example/ and mailto:x@a.example", null).ShouldBeEmpty();
    }

    [Fact]
    public void HtmlFindsLinksSourcesFormsBackgroundsAndMetaRefresh()
    {
        const string Html = """
            <html><head><meta http-equiv="Refresh" content="0; URL='https://refresh.example/go'"></head>
            <body background="https://bg.example/b.png">
            <a href="https://link.example/a">Click here</a>
            <area href="https://area.example/" alt="map">
            <img src="https://img.example/i.png">
            <form action="https://form.example/post"><input type="password"></form>
            <p>Also see https://text.example/t in the text.</p>
            </body></html>
            """;

        IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract(null, Html);

        urls.Select(url => (url.Url, url.Source)).ShouldBe(
        [
            ("https://refresh.example/go", UrlSource.HtmlMetaRefresh),
            ("https://bg.example/b.png", UrlSource.HtmlBackground),
            ("https://link.example/a", UrlSource.HtmlHref),
            ("https://area.example/", UrlSource.HtmlHref),
            ("https://img.example/i.png", UrlSource.HtmlSrc),
            ("https://form.example/post", UrlSource.HtmlFormAction),
            ("https://text.example/t", UrlSource.HtmlText),
        ]);
        urls[2].DisplayText.ShouldBe("Click here");
    }

    [Fact]
    public void HtmlDecodesEntitiesInAttributes()
    {
        Single(UrlExtractor.Extract(null, "<a href=\"https://a.example/?x=1&amp;y=2\">x</a>")).Url.ShouldBe("https://a.example/?x=1&y=2");
    }

    [Fact]
    public void HtmlFindsUnquotedAndSpacePaddedHrefs()
    {
        IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract(null, "<a href=https://a.example/u>u</a><a href = \"  https://b.example/p \n\">p</a>");

        urls.Select(url => url.Url).ShouldBe(["https://a.example/u", "https://b.example/p"]);
    }

    [Fact]
    public void DuplicatesAreMergedKeepingEverySourceAndTheFirstDisplayText()
    {
        IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract(
            "Go to https://dup.example/x",
            "<a href=\"https://DUP.example/x\">First</a><a href=\"https://dup.example/x\">Second</a><img src=\"https://dup.example/x\">");

        ExtractedUrl url = Single(urls);
        url.Source.ShouldBe(UrlSource.PlainText);
        url.Sources.ShouldBe([UrlSource.PlainText, UrlSource.HtmlHref, UrlSource.HtmlSrc]);
        url.DisplayText.ShouldBe("First");
        url.Occurrences.ShouldBe(4);
    }

    [Fact]
    public void AnchorTextShowingAnotherDomainIsFlagged()
    {
        ExtractedUrl url = Single(UrlExtractor.Extract(null, "<a href=\"https://evil.example/login\">paypal.com</a>"));

        Finding finding = url.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("url.anchor-mismatch");
        finding.Severity.ShouldBe(FindingSeverity.High);
        finding.Reason.ShouldContain("paypal.com");
        finding.Reason.ShouldContain("evil.example");
    }

    [Theory]
    [InlineData("Click here")]
    [InlineData("www.paypal.com")]
    [InlineData("https://paypal.com/signin")]
    [InlineData("Download invoice.pdf")]
    public void AnchorTextWithoutAnotherDomainIsNotFlagged(string text)
    {
        ExtractedUrl url = Single(UrlExtractor.Extract(null, $"<a href=\"https://www.paypal.com/signin\">{text}</a>"));

        Codes(url).ShouldNotContain("url.anchor-mismatch");
    }

    [Fact]
    public void AnchorTextShowingAUrlOnAnotherDomainIsFlagged()
    {
        ExtractedUrl url = Single(UrlExtractor.Extract(null, "<a href=\"https://paypal.com.evil.example/\"><b>https://www.paypal.com/</b></a>"));

        Codes(url).ShouldContain("url.anchor-mismatch");
    }

    [Fact]
    public void AnchorComparisonUsesTheDecodedTargetOfARewrite()
    {
        const string Safe = "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.paypal.com%2F&data=1";
        const string Evil = "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F&data=1";

        IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract(null, $"<a href=\"{Safe}\">paypal.com</a><a href=\"{Evil}\">paypal.com</a>");

        Codes(urls[0]).ShouldNotContain("url.anchor-mismatch");
        Codes(urls[1]).ShouldContain("url.anchor-mismatch");
        urls[1].DecodedTarget.ShouldBe("https://evil.example/");
        urls[1].Rewriter.ShouldBe("safelinks");
    }

    [Fact]
    public void OpaqueMimecastLinksKeepTheUrlForOnlineDecoding()
    {
        const string Link = "https://protect-eu.mimecast.com/s/AbCdEf?domain=evil.example";

        ExtractedUrl url = Single(UrlExtractor.Extract(null, $"<a href=\"{Link}\">paypal.com</a>"));

        url.Rewriter.ShouldBe("mimecast");
        url.DecodedTarget.ShouldBeNull();
        url.OpaqueRewrittenUrl.ShouldBe(Link);
        url.TargetDomainHint.ShouldBe("evil.example");
        Codes(url).ShouldContain("url.anchor-mismatch");
    }

    [Fact]
    public void OpaqueMimecastLinksWithoutAHintAreNotComparedWithTheirText()
    {
        ExtractedUrl url = Single(UrlExtractor.Extract(null, "<a href=\"https://protect-eu.mimecast.com/s/AbCdEf\">paypal.com</a>"));

        Codes(url).ShouldNotContain("url.anchor-mismatch");
    }

    [Fact]
    public void NestedRewritesAreUnwrappedToTheInnermostTarget()
    {
        string proofpoint = "https://urldefense.proofpoint.com/v2/url?u=http-3A__evil.example_x&d=abc&c=def";
        string safeLinks = "https://eur01.safelinks.protection.outlook.com/?url=" + Uri.EscapeDataString(proofpoint) + "&data=1";

        ExtractedUrl url = Single(UrlExtractor.Extract(safeLinks, null));

        url.RewriterChain.ShouldBe(["safelinks", "proofpoint"]);
        url.Rewriter.ShouldBe("safelinks");
        url.DecodedTarget.ShouldBe("http://evil.example/x");
    }

    [Fact]
    public void IpLiteralHostsAreFlagged()
    {
        ExtractedUrl url = Single(UrlExtractor.Extract("http://192.168.1.1/login", null));

        Finding finding = url.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("url.ip-literal");
        finding.Severity.ShouldBe(FindingSeverity.Medium);
    }

    [Theory]
    [InlineData("http://3232235777/")]
    [InlineData("http://0xC0A80101/")]
    [InlineData("http://0300.0250.0001.0001/")]
    [InlineData("http://192.168.257/")]
    public void ObfuscatedIPv4HostsAreFlaggedWithTheRealAddress(string text)
    {
        ExtractedUrl url = Single(UrlExtractor.Extract(text, null));

        Finding finding = url.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("url.ip-literal");
        finding.Severity.ShouldBe(FindingSeverity.High);
        finding.Reason.ShouldContain("192.168.1.1");
    }

    [Fact]
    public void IPv6LiteralHostsAreFlagged()
    {
        Codes(Single(UrlExtractor.Extract(null, "<a href=\"http://[2001:db8::1]:8080/x\">x</a>"))).ShouldContain("url.ip-literal");
    }

    [Fact]
    public void PunycodeHostsAreShownInUnicodeAndMixedScriptIsHighSeverity()
    {
        // xn--pypal-4ve.com is "pаypal.com" with a Cyrillic "а".
        ExtractedUrl url = Single(UrlExtractor.Extract("https://xn--pypal-4ve.com/login", null));

        url.Host.ShouldBe("p\u0430ypal.com");
        Finding finding = url.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("url.punycode");
        finding.Severity.ShouldBe(FindingSeverity.High);
    }

    [Fact]
    public void SingleScriptPunycodeHostsAreMediumSeverity()
    {
        // xn--bcher-kva.example is "bücher.example": Latin only.
        ExtractedUrl url = Single(UrlExtractor.Extract("https://xn--bcher-kva.example/", null));

        url.Host.ShouldBe("bücher.example");
        url.Findings.ShouldHaveSingleItem().Severity.ShouldBe(FindingSeverity.Medium);
    }

    [Fact]
    public void UserInfoBeforeTheHostIsFlagged()
    {
        ExtractedUrl url = Single(UrlExtractor.Extract("http://paypal.com@evil.example/", null));

        url.Host.ShouldBe("evil.example");
        Codes(url).ShouldBe(["url.userinfo"]);
    }

    [Fact]
    public void NonStandardPortsAreFlaggedButDefaultPortsAreNot()
    {
        Codes(Single(UrlExtractor.Extract("http://a.example:8080/", null))).ShouldBe(["url.non-standard-port"]);
        Single(UrlExtractor.Extract("https://a.example:443/", null)).Findings.ShouldBeEmpty();
    }

    [Fact]
    public void ShortenersAreFlagged()
    {
        Codes(Single(UrlExtractor.Extract("https://bit.ly/3abc", null))).ShouldBe(["url.shortener"]);
    }

    [Fact]
    public void DataUrisAreReportedWithoutStoringTheirPayload()
    {
        string payload = new('A', 2_000_000);

        ExtractedUrl url = Single(UrlExtractor.Extract(null, $"<a href=\"data:text/html;base64,{payload}\">Open</a>"));

        url.Url.Length.ShouldBeLessThan(200);
        url.Url.ShouldStartWith("data:text/html;base64,");
        url.Host.ShouldBeNull();
        Finding finding = url.Findings.ShouldHaveSingleItem();
        finding.Code.ShouldBe("url.data-uri");
        finding.Severity.ShouldBe(FindingSeverity.High);
    }

    [Fact]
    public void InlineDataImagesAreOnlyInformational()
    {
        ExtractedUrl url = Single(UrlExtractor.Extract(null, "<img src=\"data:image/png;base64,iVBORw0KGgo=\">"));

        url.Findings.ShouldHaveSingleItem().Severity.ShouldBe(FindingSeverity.Info);
    }

    [Fact]
    public void JavascriptUrlsAreFlagged()
    {
        ExtractedUrl url = Single(UrlExtractor.Extract(null, "<a href=\"javascript:alert(document.cookie)\">x</a>"));

        Codes(url).ShouldBe(["url.javascript"]);
    }

    [Fact]
    public void FileUrlsAreFlagged()
    {
        Codes(Single(UrlExtractor.Extract(null, "<img src=\"file://attacker.example/share/x.png\">"))).ShouldBe(["url.file-scheme"]);
    }

    [Fact]
    public void RelativeUrlsWithoutABaseAreSkippedAndWithABaseAreResolved()
    {
        UrlExtractor.Extract(null, "<a href=\"/login\">x</a><a href=\"#top\">t</a><a href=\"mailto:a@b.example\">m</a>").ShouldBeEmpty();

        IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract(null,
            "<base href=\"https://base.example/dir/page.html\"><a href=\"/login\">x</a><a href=\"next.html\">n</a><a href=\"//cdn.example/a\">c</a>");

        urls.Select(url => url.Url).ShouldBe(["https://base.example/login", "https://base.example/dir/next.html", "https://cdn.example/a"]);
    }

    [Fact]
    public void InvalidPercentEncodingIsKeptAsWritten()
    {
        Single(UrlExtractor.Extract("https://a.example/%zz%4", null)).Url.ShouldBe("https://a.example/%zz%4");
    }

    [Fact]
    public void HeaderValuesAreScannedAsHeaders()
    {
        UrlExtractionResult result = UrlExtractor.Analyze(null, null, ["<mailto:unsub@list.example>, <https://list.example/unsub?id=1>"]);

        ExtractedUrl url = Single(result.Urls);
        url.Url.ShouldBe("https://list.example/unsub?id=1");
        url.Source.ShouldBe(UrlSource.Header);
    }

    [Fact]
    public void ExtractionStopsAtMaxUrlsAndSaysSo()
    {
        string text = string.Join(' ', Enumerable.Range(0, 50).Select(i => $"https://h{i}.example/"));

        UrlExtractionResult result = UrlExtractor.Analyze(text, null, options: new UrlExtractionOptions { MaxUrls = 10 });

        result.Urls.Count.ShouldBe(10);
        result.UrlLimitReached.ShouldBeTrue();
    }

    [Fact]
    public void InputBeyondMaxInputCharsIsIgnoredAndReported()
    {
        string text = new string(' ', 100) + "https://late.example/";

        UrlExtractionResult result = UrlExtractor.Analyze(text, null, options: new UrlExtractionOptions { MaxInputChars = 50 });

        result.Urls.ShouldBeEmpty();
        result.InputTruncated.ShouldBeTrue();
    }

    [Fact]
    public void OverlongUrlsAreCut()
    {
        string text = "https://a.example/" + new string('x', 10_000);

        ExtractedUrl url = Single(UrlExtractor.Extract(text, null, new UrlExtractionOptions { MaxUrlChars = 100 }));

        url.Url.Length.ShouldBe(100);
    }

    [Fact]
    public void DeeplyNestedHtmlDoesNotOverflowTheStack()
    {
        string html = string.Concat(Enumerable.Repeat("<div><span>", 200_000)) + "<a href=\"https://deep.example/\">x</a>";

        Single(UrlExtractor.Extract(null, html)).Url.ShouldBe("https://deep.example/");
    }

    [Fact]
    public void MalformedHtmlStillYieldsItsLinks()
    {
        IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract(null, "<a href=\"https://a.example/\"<<b><a href='https://b.example/'>unclosed <td background=https://c.example/bg");

        urls.Select(url => url.Url).ShouldContain("https://b.example/");
    }

    [Fact]
    public void ImageOnlyLinksUseTheImageAltTextForAnchorComparison()
    {
        ExtractedUrl link = UrlExtractor.Extract(null, "<a href=\"https://evil.example/\"><img src=\"cid:logo\" alt=\"www.paypal.com\"></a>")
            .ShouldHaveSingleItem();

        link.DisplayText.ShouldBe("www.paypal.com");
        Codes(link).ShouldContain("url.anchor-mismatch");
    }

    [Fact]
    public void ScriptRedirectsAndConditionalCommentsAreScannedButStylesAreNot()
    {
        const string Html = """
            <style>body { background: url(https://style.example/bg.png) }</style>
            <!--[if mso]><a href="https://outlook-only.example/x">x</a><![endif]-->
            <script>if (a < b) { window.location = "https://redirect.example/go"; }</script>
            """;

        IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract(null, Html);

        urls.Select(url => url.Url).ShouldBe(["https://outlook-only.example/x", "https://redirect.example/go"]);
        urls.ShouldAllBe(url => url.Source == UrlSource.HtmlText);
    }
}
