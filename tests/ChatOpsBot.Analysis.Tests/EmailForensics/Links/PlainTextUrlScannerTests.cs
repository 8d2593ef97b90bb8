using ChatOpsBot.Analysis.EmailForensics.Links;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Links;

/// <summary>
/// The scanner skips text with neither a ':' nor "www": these tests hold that pre-check to the scan that tries every
/// start character (<see cref="PlainTextUrlScanner.ScanCandidates{TState}"/>).
/// </summary>
public class PlainTextUrlScannerTests
{
    private static List<string> Scanned(string text)
    {
        var found = new List<string>();
        PlainTextUrlScanner.Scan(text.AsSpan(), 2048, found, static (list, url) =>
        {
            list.Add(url);
            return true;
        });
        return found;
    }

    private static List<string> ScannedAtEveryStart(string text)
    {
        var found = new List<string>();
        PlainTextUrlScanner.ScanCandidates(text.AsSpan(), 2048, found, static (list, url) =>
        {
            list.Add(url);
            return true;
        });
        return found;
    }

    [Theory]
    [InlineData("see WWW.Example.com now", "http://WWW.Example.com")]
    [InlineData("wWw[.]evil[.]test/x", "http://wWw.evil.test/x")]
    [InlineData("hxxps[:]//evil[.]test/a", "https://evil.test/a")]
    [InlineData("fxp(:)//files.test", "ftp://files.test")]
    [InlineData("HTTP://A.TEST", "http://A.TEST")]
    public void FindsUrlsWithEitherAColonOrWww(string text, string expected)
    {
        Scanned(text).ShouldBe([expected]);
        ScannedAtEveryStart(text).ShouldBe([expected]);
    }

    [Fact]
    public void FindsWhatTheScanOfEveryStartCharacterFindsOnGeneratedText()
    {
        Gen<string> pieces = Gen.Elements(
            "http", "HTTPS", "hxxp", "fxps", "ftp", "://", "[:]//", "[://]", "(:)//", ":", "/", "www", "WwW", "ww", "w", ".", "[.]",
            "(.)", "example", "com", " ", "\n", "h", "f", "(", ")", "]", "'", "é", "\u200B", "-", "@", "a1");
        Gen<string> texts = Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(pieces, n)).Select(p => string.Concat(p));

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(20_000),
            Prop.ForAll(texts.ToArbitrary(), text => Scanned(text).SequenceEqual(ScannedAtEveryStart(text)).Label(text)));
    }
}
