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

    /// <summary>
    /// What <see cref="HeaderIpScanner.Scan(IEnumerable{KeyValuePair{string, string}})"/> must give, from
    /// <see cref="HeaderIpScanner.Find"/> per value (which normalises every candidate anew): addresses in order of first
    /// appearance, each with the headers it was seen in (names compared ignoring case), version and scope of its address.
    /// </summary>
    private static List<string> ExpectedScan(List<KeyValuePair<string, string>> headers)
    {
        var order = new List<string>();
        var seenIn = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        // DKIM-Signature stands for the opaque headers the scan does not read.
        foreach ((string name, string value) in headers.Where(h => !h.Key.Equals("DKIM-Signature", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (string ip in HeaderIpScanner.Find(value))
            {
                if (!seenIn.TryGetValue(ip, out List<string>? names))
                {
                    seenIn[ip] = names = [];
                    order.Add(ip);
                }

                if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    names.Add(name);
                }
            }
        }

        return order.Select(ip =>
        {
            var address = System.Net.IPAddress.Parse(ip);
            return $"{ip}|{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 6 : 4)}|{IpClassifier.Classify(address)}|{string.Join(",", seenIn[ip])}";
        }).ToList();
    }

    private static List<string> ActualScan(List<KeyValuePair<string, string>> headers) =>
        HeaderIpScanner.Scan(headers).Select(ip => $"{ip.Address}|{ip.Version}|{ip.Scope}|{string.Join(",", ip.SeenIn)}").ToList();

    [Fact]
    public void ScanGivesWhatFindGivesPerHeaderWhenAddressesRecurInOtherForms()
    {
        Gen<string> pieces = Gen.Elements(
            "192.0.2.1", "[192.0.2.1]", "203.0.113.9", "2001:DB8::1", "2001:db8::1", "2001:0db8:0:0:0:0:0:1", "IPv6:2001:db8::1",
            "::ffff:192.0.2.1", "10.0.0.5", "fe80::1", " ", "; ", "(", ")", "host.test", "1.2.3", "x");
        Gen<KeyValuePair<string, string>> header = Gen.Zip(
                Gen.Elements("Received", "received", "X-Originating-IP", "Authentication-Results", "Received-SPF", "DKIM-Signature"),
                Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(pieces, n)).Select(p => string.Concat(p)))
            .Select(pair => new KeyValuePair<string, string>(pair.Item1, pair.Item2));

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(5_000),
            Prop.ForAll(Gen.Choose(0, 12).SelectMany(n => Gen.ListOf(header, n)).ToArbitrary(), headers =>
            {
                List<KeyValuePair<string, string>> list = [.. headers];
                return ActualScan(list).SequenceEqual(ExpectedScan(list));
            }));
    }

    [Fact]
    public void ScanGivesWhatFindGivesPerHeaderPastTheCandidatesItKeeps()
    {
        // More distinct candidates than the scan keeps normalised, each written twice and in two forms.
        List<KeyValuePair<string, string>> headers = Enumerable.Range(1, 60)
            .SelectMany(i => new[]
            {
                new KeyValuePair<string, string>("Received", $"from a ([198.51.100.{i}]) by b (2001:DB8::{i:x})"),
                new KeyValuePair<string, string>("X-Originating-IP", $"198.51.100.{i} 2001:db8::{i:x}"),
            })
            .ToList();

        ActualScan(headers).ShouldBe(ExpectedScan(headers));
        ActualScan(headers).Count.ShouldBe(120);
    }
}
