using System.Globalization;
using System.Text;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

/// <summary>
/// <see cref="AuthenticationResultsParser"/> reads segments and tokens as positions in the unfolded text; these tests
/// hold everything it gives to <see cref="LegacyAuthenticationResultsParser"/> (a string per segment, token, key and
/// value) on hand-picked, generated and real headers.
/// </summary>
public class AuthenticationResultsParserOracleTests
{
    /// <summary>Every part of a parsed header as text, properties in their order, so a difference names the part.</summary>
    private static string Dump(AuthResultsHeader header)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{header.HeaderName}|{header.Position}|id={header.AuthservId ?? "<null>"}|raw={header.Raw}"));
        foreach (AuthMethodResult result in header.Results)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {result.Method}={result.Result} reason={result.Reason ?? "<null>"} comment={result.Comment ?? "<null>"}");
            foreach (KeyValuePair<string, string> property in result.Properties)
            {
                text.Append(CultureInfo.InvariantCulture, $" [{property.Key}={property.Value}]");
            }

            text.Append(CultureInfo.InvariantCulture, $" lookup-header.d={(result.Properties.TryGetValue("HEADER.D", out string? d) ? d : "<none>")}");
        }

        return text.ToString();
    }

    private static string Current(string name, string value) => Dump(AuthenticationResultsParser.Parse(name, 3, value));

    private static string Legacy(string name, string value) => Dump(LegacyAuthenticationResultsParser.Parse(name, 3, value));

    [Theory]
    [InlineData("Authentication-Results", "mx.google.com;\r\n       dkim=pass header.i=@gmail.com header.s=20161025 header.b=ehHYOeNl;\r\n       spf=pass (google.com: domain of x@gmail.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=x@gmail.com;\r\n       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com")]
    [InlineData("Authentication-Results", "spf=fail (sender IP is 203.0.113.9)\r\n smtp.mailfrom=evil.test; dkim=none (message not signed)\r\n header.d=none;dmarc=fail action=oreject\r\n header.from=bank.example;compauth=fail reason=000")]
    [InlineData("ARC-Authentication-Results", "i=1; mx.google.com; dkim=pass header.i=@shop.example; spf=pass smtp.mailfrom=shop.example")]
    [InlineData("Authentication-Results", "mx.test 1; dkim=fail reason=\"signature verification failed\" (bad sig) header.d=a.test header.s=s1")]
    [InlineData("Authentication-Results", "MX.Test; SPF = Pass smtp.MailFrom= a@B.test; DKIM= pass HEADER.D =b.test dkim=fail")]
    [InlineData("Authentication-Results", "mx; spf=pass (a (nested; \"quoted\") comment) (second) smtp.mailfrom=a.test; dkim=pass (unclosed; dmarc=fail")]
    [InlineData("Authentication-Results", "mx; dkim=pass reason=\"a; b (c)\" header.d=\"q.test\", x=y,;")]
    [InlineData("Authentication-Results", "mx; ; ;; spf=pass smtp.mailfrom=a.test smtp.mailfrom=b.test")]
    [InlineData("Authentication-Results", "mx 12 spf=pass; = ; a= ; =b; spf/1=PASS; dkim=")]
    [InlineData("Authentication-Results", "\"quoted id\"; spf=\"pass\"")]
    [InlineData("Authentication-Results", "")]
    [InlineData("ARC-Authentication-Results", "i=2")]
    [InlineData("Authentication-Results", "i=1; mx.test; spf=pass")]
    [InlineData("Authentication-Results", "mx; spf=PASS\u00a0x=ÉCOLE; İ=İ; dkim=pass header.d=ÀB.test")]
    public void GivesWhatTheStringPerTokenReaderGives(string name, string value) =>
        Current(name, value).ShouldBe(Legacy(name, value));

    [Fact]
    public void GivesWhatTheStringPerTokenReaderGivesForKeysLongerThanTheStackBuffer()
    {
        string value = $"mx; {new string('K', 100)}=PASS {new string('p', 70)}.X={new string('v', 200)}; spf={new string('F', 90)}";
        Current("Authentication-Results", value).ShouldBe(Legacy("Authentication-Results", value));
    }

    [Fact]
    public void TakesKnownMethodsResultsAndKeysFromItsTableInsteadOfCopyingThem()
    {
        AuthMethodResult first = AuthenticationResultsParser.Parse("Authentication-Results", 0, "mx; SPF=PASS smtp.MailFrom=a.test").Results[0];
        AuthMethodResult second = AuthenticationResultsParser.Parse("Authentication-Results", 0, "mx; spf=pass smtp.mailfrom=b.test").Results[0];

        first.Method.ShouldBeSameAs(second.Method);
        first.Result.ShouldBeSameAs(second.Result);
        first.Properties.Keys.Single().ShouldBeSameAs(second.Properties.Keys.Single());
        first.Result.ShouldBe("pass");
    }

    /// <summary>Headers assembled from the pieces real ones are made of, so quotes, comments and separators interleave.</summary>
    private static Gen<string> AuthenticationResultsLike()
    {
        string[] pieces =
        [
            "mx.google.com", "MX.Corp.Test", "1", "i=1", "i=2;", ";", ";", "; ", "=", " = ", "spf", "dkim", "dmarc", "arc", "compauth",
            "bimi", "x-tls", "iprev", "foo", "spf=pass", "DKIM=Pass", "dmarc=fail", "spf=softfail", "dkim=none", "compauth=pass",
            "reason=000", "reason=\"bad sig\"", "reason=\"a; b (c)\"", "action=none", "smtp.mailfrom=a@b.test", "header.d=b.test",
            "header.i=@c.test", "header.from=d.test", "header.b=AbC+/=", "smtp.remote-ip=192.0.2.1", "policy.dmarc=none",
            "(comment)", "(google.com: domain of x@gmail.com designates 209.85.220.41)", "(a (nested) c)", "(", ")", "\"", "\"q;(x)\"",
            "x=", "=y", "a,", "\"v\"", "dkim/1=pass", "\r\n\t", "\u00a0", "É=É", "key=VALUE,",
        ];
        return GeneratedHeaderText.Of(pieces, [" ", " ", "", "; ", "\r\n ", "  "], maxPieces: 20);
    }

    [Fact]
    public void GivesWhatTheStringPerTokenReaderGivesOnGeneratedHeaders() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20_000), Prop.ForAll(
            Gen.Zip(Gen.Elements("Authentication-Results", "ARC-Authentication-Results"), AuthenticationResultsLike()).ToArbitrary(),
            pair => (Current(pair.Item1, pair.Item2) == Legacy(pair.Item1, pair.Item2)).Label(pair.Item2)));

    [Fact]
    public void GivesWhatTheStringPerTokenReaderGivesOnArbitraryText() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5_000), Prop.ForAll<string>(text =>
            Current("Authentication-Results", text ?? string.Empty) == Legacy("Authentication-Results", text ?? string.Empty)));

    [SharedFolderFact]
    public void GivesWhatTheStringPerTokenReaderGivesOnEveryResultsHeaderOfTheCorpus()
    {
        int compared = 0;
        foreach (string file in Directory.EnumerateFiles(SharedFolder.PathTo("corpus/mail"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (Header header in MimeMessage.Load(File.ReadAllBytes(file)).Headers)
            {
                if (header.Is("Authentication-Results") || header.Is("ARC-Authentication-Results"))
                {
                    Current(header.Field, header.Value).ShouldBe(Legacy(header.Field, header.Value), file);
                    compared++;
                }
            }
        }

        compared.ShouldBeGreaterThan(20);
    }
}
