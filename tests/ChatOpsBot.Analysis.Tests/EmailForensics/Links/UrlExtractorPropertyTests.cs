using ChatOpsBot.Analysis.EmailForensics.Links;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Links;

public class UrlExtractorPropertyTests
{
    private static readonly UrlExtractionOptions s_smallLimit = new() { MaxUrls = 5 };

    // Fragments that make random text look like mail: schemes, defanged pieces, markup, brackets and punctuation.
    private static Gen<string> MailLikeText() =>
        Gen.Elements("http://", "https://", "hxxp://", "www.", "[.]", ".", "a", "example", "com", "/", "?", "=", "&amp;", "(", ")",
                "<a href=\"", "\">", "</a>", "<img src=", "<form action='", "'>", " ", "\n", "xn--pypal-4ve", "@", ":", "8080",
                "%", "%zz", "data:text/html,", "javascript:", "0x7f000001", "<", ">", "\u202E", "[", "]", "<base href=\"https://b.example/\">")
            .ListOf()
            .Select(parts => string.Concat(parts));

    [Fact]
    public void ExtractionNeverThrowsAndNeverExceedsMaxUrlsOnRandomStrings()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), ArbMap.Default.ArbFor<string>(), (text, html) =>
        {
            IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract(text, html, s_smallLimit);
            return urls.Count <= s_smallLimit.MaxUrls;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ExtractionNeverThrowsAndNeverExceedsMaxUrlsOnMailLikeText()
    {
        Prop.ForAll(MailLikeText().ToArbitrary(), MailLikeText().ToArbitrary(), (text, html) =>
        {
            IReadOnlyList<ExtractedUrl> urls = UrlExtractor.Extract(text, html, s_smallLimit);
            return urls.Count <= s_smallLimit.MaxUrls && urls.Select(url => url.Url).Distinct().Count() == urls.Count;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ReExtractingTheExtractedUrlsIsIdempotent()
    {
        Prop.ForAll(MailLikeText().ToArbitrary(), text =>
        {
            string[] first = UrlExtractor.Extract(text, null).Select(url => url.Url).ToArray();
            string[] second = UrlExtractor.Extract(string.Join('\n', first), null).Select(url => url.Url).ToArray();
            return first.SequenceEqual(second);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void DuplicatingTheInputChangesNoUrlOnlyOccurrences()
    {
        Prop.ForAll(MailLikeText().ToArbitrary(), text =>
        {
            IReadOnlyList<ExtractedUrl> once = UrlExtractor.Extract(text, null);
            IReadOnlyList<ExtractedUrl> twice = UrlExtractor.Extract(text + "\n" + text, null);
            return once.Select(url => url.Url).SequenceEqual(twice.Select(url => url.Url))
                && once.Zip(twice).All(pair => pair.Second.Occurrences == pair.First.Occurrences * 2);
        }).QuickCheckThrowOnFailure();
    }
}
