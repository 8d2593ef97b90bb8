using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

public class HeaderIpScannerTests
{
    // The scanner's candidate pattern applied to the whole text at once, as the scanner did before it learnt to skip
    // text that cannot hold an address: the scanner must keep finding exactly what this finds.
    private static readonly Regex s_wholeTextCandidate = new(
        @"(?<![\w.:\-])(?:IPv6:)?(?:(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?|\d{1,3}(?:\.\d{1,3}){3})(?![\w:\-]|\.\w)",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [Theory]
    [InlineData("from mx.test [IPv6:2001:db8::25]", "2001:db8::25")]
    [InlineData("by 2603:10b6:404:bb::17 with SMTP", "2603:10b6:404:bb::17")]
    [InlineData("from host (fe80::1%eth0)", "fe80::1")]
    [InlineData("from a.test [198.51.100.1]", "198.51.100.1")]
    [InlineData("(qmail 1234 invoked from network); (10.0.0.5)", "10.0.0.5")]
    [InlineData("client-ip=203.0.113.9;", "203.0.113.9")]
    [InlineData("peer ::ffff:192.0.2.7 said", "::ffff:192.0.2.7")]
    [InlineData("first 192.0.2.1, then 192.0.2.2", "192.0.2.1", "192.0.2.2")]
    [InlineData("unspecified :: here", "::")]
    [InlineData("full 2001:0db8:0000:0000:0000:ff00:0042:8329 form", "2001:db8::ff00:42:8329")]
    [InlineData("mapped 0:0:0:0:0:ffff:192.0.2.1 form", "::ffff:192.0.2.1")]
    public void FindsAddressesInTheirUsualHeaderSurroundings(string text, params string[] expected) =>
        HeaderIpScanner.Find(text).ShouldBe(expected);

    [Theory]
    [InlineData("release 1.2.3.4.5")]
    [InlineData("host 1.2.3.4.example.com")]
    [InlineData("a1.2.3.4")]
    [InlineData("ver-1.2.3.4")]
    [InlineData("1.2.3.4-beta")]
    [InlineData("x:1.2.3.4")]
    [InlineData("mail.example.com:25")]
    [InlineData("14:55:07")]
    public void AddressShapedFragmentsOfLongerTokensAreNotAddresses(string text) =>
        HeaderIpScanner.Find(text).ShouldBeEmpty();

    [Fact]
    public void AnAddressFollowedByASentenceDotIsStillFound() =>
        HeaderIpScanner.Find("connect from 192.0.2.44. Then").ShouldBe(["192.0.2.44"]);

    [Fact]
    public void FindsWhatTheCandidatePatternFindsOverTheWholeText()
    {
        Gen<string> pieces = Gen.Elements(
            "1", "9", "12", "255", "0", "a", "f", "F", "x", "I", "IPv6:", ".", ".", ":", ":", "::", " ", "[", "]", "(", ")", "1:2:3:4:5:6:7",
            ";", "-", "_", "=", "%", "\u0661", "\u00e9", "\u00a0", "2001:db8", "ffff", "10.0.0.1", "fe80::1");
        Gen<string> texts = Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(pieces, n)).Select(p => string.Concat(p));

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(20_000),
            Prop.ForAll(texts.ToArbitrary(), text =>
                HeaderIpScanner.Find(text).SequenceEqual(
                    s_wholeTextCandidate.Matches(text).Select(m => ReceivedParser.NormaliseIp(m.Value)).OfType<string>())));
    }
}
