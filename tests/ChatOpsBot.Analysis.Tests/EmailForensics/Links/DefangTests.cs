using ChatOpsBot.Analysis.EmailForensics;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Links;

public class DefangTests
{
    [Theory]
    [InlineData("https://evil.example/a", "hxxps://evil[.]example/a")]
    [InlineData("http://evil.example", "hxxp://evil[.]example")]
    [InlineData("ftp://files.evil.example/x.exe", "fxp://files[.]evil[.]example/x.exe")]
    [InlineData("HTTPS://Evil.Example:8443/p.a.t.h?q=1.2", "hxxps://Evil[.]Example:8443/p.a.t.h?q=1.2")]
    [InlineData("http://user.name@evil.example/", "hxxp://user.name@evil[.]example/")]
    [InlineData("www.evil.example/login", "www[.]evil[.]example/login")]
    public void UrlBracketsHostDotsAndRenamesTheScheme(string url, string expected)
    {
        Defang.Url(url).ShouldBe(expected);
    }

    [Fact]
    public void UrlDefangsTargetsCarriedInTheQuery()
    {
        string defanged = Defang.Url("https://nam02.safelinks.protection.outlook.com/?url=https://evil.example/&data=1");

        defanged.ShouldBe("hxxps://nam02[.]safelinks[.]protection[.]outlook[.]com/?url=hxxps://evil.example/&data=1");
    }

    [Fact]
    public void UrlIsStableWhenAppliedTwice()
    {
        string once = Defang.Url("https://a.b.example/x");

        Defang.Url(once).ShouldBe(once);
    }

    [Fact]
    public void UrlLeavesSchemesWithoutAuthorityAlone()
    {
        Defang.Url("mailto:someone@evil.example").ShouldBe("mailto:someone@evil.example");
    }

    [Fact]
    public void IpBracketsEveryDot()
    {
        Defang.Ip("1.2.3.4").ShouldBe("1[.]2[.]3[.]4");
    }

    [Fact]
    public void IpBracketsIPv6Colons()
    {
        Defang.Ip("2001:db8::1").ShouldBe("2001[:]db8[:][:]1");
    }

    [Fact]
    public void HostBracketsEveryDot()
    {
        Defang.Host("login.evil.example").ShouldBe("login[.]evil[.]example");
    }

    [Fact]
    public void DefangedUrlsNeverKeepAClickableWebSchemeOrABareDotInTheHost()
    {
        Arbitrary<string> urls = ArbMap.Default.ArbFor<string>().Generator
            .Select(tail => tail ?? string.Empty)
            .SelectMany(tail => Gen.Elements("http", "https", "HTTP", "hTtPs", "ftp").Select(scheme => (scheme, tail)))
            .SelectMany(pair => Gen.Elements("evil.example", "a.b.c.d", "1.2.3.4", "x", "sub.domain.example:8080", "u.v@h.i.j")
                .Select(host => $"{pair.scheme}://{host}/{pair.tail}"))
            .ToArbitrary();

        Prop.ForAll(urls, url =>
        {
            string defanged = Defang.Url(url);
            string lower = defanged.ToLowerInvariant();
            bool noWebScheme = !lower.Contains("http://", StringComparison.Ordinal) && !lower.Contains("https://", StringComparison.Ordinal);
            string afterScheme = defanged[(defanged.IndexOf("://", StringComparison.Ordinal) + 3)..];
            int end = afterScheme.IndexOfAny(['/', '?', '#', '\\']);
            string authority = end < 0 ? afterScheme : afterScheme[..end];
            string host = authority[(authority.LastIndexOf('@') + 1)..].Replace("[.]", string.Empty, StringComparison.Ordinal);
            return noWebScheme && !host.Contains('.', StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();
    }
}
