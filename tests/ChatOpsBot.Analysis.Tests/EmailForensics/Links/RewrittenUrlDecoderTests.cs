using ChatOpsBot.Analysis.EmailForensics.Links;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Links;

public class RewrittenUrlDecoderTests
{
    [Fact]
    public void SafeLinksDecodesToThePercentDecodedUrlParameter()
    {
        const string Url = "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2Flogin%3Fa%3D1%26b%3D2&data=05%7C01&sdata=abc&reserved=0";

        RewrittenUrlDecoder.TryDecode(Url, out string target, out string rewriter).ShouldBeTrue();

        target.ShouldBe("https://evil.example/login?a=1&b=2");
        rewriter.ShouldBe("safelinks");
    }

    [Fact]
    public void ProofpointV2DecodesDashesAndUnderscores()
    {
        const string Url = "https://urldefense.proofpoint.com/v2/url?u=http-3A__www.example.org_url&d=DwMFaQ&c=abc&r=def";

        RewrittenUrlDecoder.TryDecode(Url, out string target, out string rewriter).ShouldBeTrue();

        target.ShouldBe("http://www.example.org/url");
        rewriter.ShouldBe("proofpoint");
    }

    [Fact]
    public void ProofpointV1DecodesThePercentEncodedUParameter()
    {
        const string Url = "https://urldefense.proofpoint.com/v1/url?u=http%3A%2F%2Fevil.example%2Fpath&k=abc&r=def";

        RewrittenUrlDecoder.TryDecode(Url, out string target, out _).ShouldBeTrue();

        target.ShouldBe("http://evil.example/path");
    }

    [Fact]
    public void ProofpointV3RestoresReplacedCharactersFromTheEncodedBytes()
    {
        // "JSM" is url-safe base64 of "%#": the first '*' becomes '%', the second '#'.
        const string Url = "https://urldefense.com/v3/__https://storage.example/o/owa*2Findex.html?alt=media*victim@corp.example__;JSM!!Fjc1LPEtn8I!abc$";

        RewrittenUrlDecoder.TryDecode(Url, out string target, out string rewriter).ShouldBeTrue();

        target.ShouldBe("https://storage.example/o/owa%2Findex.html?alt=media#victim@corp.example");
        rewriter.ShouldBe("proofpoint");
    }

    [Fact]
    public void ProofpointV3ExpandsRunTokens()
    {
        // "**A" takes a run of 2 characters; "Pz0" is base64 of "?=".
        const string Url = "https://urldefense.com/v3/__https://evil.example/a**Ax__;Pz0!!tail$";

        RewrittenUrlDecoder.TryDecode(Url, out string target, out _).ShouldBeTrue();

        target.ShouldBe("https://evil.example/a?=x");
    }

    [Fact]
    public void ProofpointV3WithTooFewEncodedBytesIsNotDecoded()
    {
        const string Url = "https://urldefense.com/v3/__https://evil.example/a*b*c__;JQ!!tail$";

        RewrittenUrlDecoder.TryDecode(Url, out _, out string rewriter).ShouldBeFalse();

        rewriter.ShouldBe("proofpoint");
    }

    [Fact]
    public void BarracudaDecodesTheAParameter()
    {
        const string Url = "https://linkprotect.cudasvc.com/url?a=https%3a%2f%2fevil.example%2fx&c=E,1,abc&typo=1";

        RewrittenUrlDecoder.TryDecode(Url, out string target, out string rewriter).ShouldBeTrue();

        target.ShouldBe("https://evil.example/x");
        rewriter.ShouldBe("barracuda");
    }

    [Theory]
    [InlineData("https://protect-eu.mimecast.com/s/AbCdEfGhIjKlMn?domain=evil.example", "evil.example")]
    [InlineData("https://url.uk.m.mimecastprotect.com/s/4RXcxy6ZopdfVfJIJJj8d?domain=example.org", "example.org")]
    [InlineData("https://protect-us.mimecast.com/s/opaqueToken", null)]
    public void MimecastLinksAreRecognisedAsOpaqueWithTheirDomainHint(string url, string? hint)
    {
        RewrittenUrlDecoder.TryDecode(url, out string target, out string rewriter).ShouldBeFalse();
        UrlRewrite? rewrite = RewrittenUrlDecoder.Decode(url);

        rewriter.ShouldBe("mimecast");
        target.ShouldBeEmpty();
        rewrite.ShouldNotBeNull().Target.ShouldBeNull();
        rewrite.DomainHint.ShouldBe(hint);
    }

    [Theory]
    [InlineData("https://evil.example/?url=https%3A%2F%2Fother.example")]
    [InlineData("https://safelinks.protection.outlook.com.evil.example/?url=https%3A%2F%2Fother.example")]
    [InlineData("not a url")]
    [InlineData("")]
    public void OtherUrlsAreNotRewrites(string url)
    {
        RewrittenUrlDecoder.TryDecode(url, out string target, out string rewriter).ShouldBeFalse();

        target.ShouldBeEmpty();
        rewriter.ShouldBeEmpty();
    }

    [Fact]
    public void SafeLinksWithoutATargetIsRecognisedButNotDecoded()
    {
        RewrittenUrlDecoder.TryDecode("https://eur01.safelinks.protection.outlook.com/?data=abc", out _, out string rewriter).ShouldBeFalse();

        rewriter.ShouldBe("safelinks");
    }
}
