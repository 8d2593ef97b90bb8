using System.Text;
using ChatOpsBot.Analysis.Common;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Cards.Tests.Safety;

public class CardTextTests
{
    [Theory]
    [InlineData("**urgent**", @"\*\*urgent\*\*")]
    [InlineData("_it_ ~~gone~~", @"\_it\_ \~\~gone\~\~")]
    [InlineData("[click](x)", @"\[click\]\(x\)")]
    [InlineData("# Heading", @"\# Heading")]
    [InlineData("- item", @"\- item")]
    [InlineData("+ item", @"\+ item")]
    [InlineData("12. first", @"12\. first")]
    [InlineData("> quote", @"\> quote")]
    [InlineData("`code`", @"\`code\`")]
    [InlineData("a | b", @"a \| b")]
    [InlineData("&lt;at&gt;", @"\&lt;at\&gt;")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("Version 2.1 scored 3.5 - ok.", "Version 2.1 scored 3.5 - ok.")]
    public void MarkdownIsEscaped(string input, string expected) => CardText.Escape(input).ShouldBe(expected);

    [Theory]
    [InlineData("https://evil.example/login?next=https://b.example", @"hxxps://evil\[.\]example/login?next=hxxps://b\[.\]example")]
    [InlineData("see www.evil.co.uk now", @"see www\[.\]evil\[.\]co\[.\]uk now")]
    [InlineData("ceo@evil.example", @"ceo@evil\[.\]example")]
    [InlineData("from 203.0.113.9", @"from 203\[.\]0\[.\]113\[.\]9")]
    [InlineData("smb://host/share", @"smb\[://\]host/share")]
    [InlineData("evil\u3002example", @"evil\[.\]example")]
    [InlineData("invoice.pdf.zip", @"invoice\[.\]pdf\[.\]zip")]
    [InlineData("1https://x", "1hxxps://x")]
    [InlineData("2ftps://x", "2fxps://x")]
    [InlineData("clickHTTP://x/y", @"clickHTTP\[://\]x/y")]
    public void IndicatorsAreDefanged(string input, string expected) => CardText.Escape(input).ShouldBe(expected);

    [Theory]
    [InlineData("<at>Admin</at>", @"\<at\>Admin\</at\>")]
    [InlineData("@channel hi", @"\[@\]channel hi")]
    [InlineData("hi @here", @"hi \[@\]here")]
    [InlineData("<!channel>", @"\<!channel\>")]
    [InlineData("<@U024BE7LH>", @"\<\[@\]U024BE7LH\>")]
    public void MentionsAreNeutralised(string input, string expected) => CardText.Escape(input).ShouldBe(expected);

    [Theory]
    [InlineData("pay\u200Bpal", @"pay\\u{200B}pal")]
    [InlineData("\u202Egpj.exe", @"\\u{202E}gpj\[.\]exe")]
    [InlineData("a\u2066b\u2069", @"a\\u{2066}b\\u{2069}")]
    [InlineData("x\U000E0041", @"x\\u{E0041}")]
    [InlineData("\u3164", @"\\u{3164}")]
    [InlineData("a\r\nb", @"a\\u{000D}\\u{000A}b")]
    public void HiddenCharactersBecomeVisible(string input, string expected) => CardText.Escape(input).ShouldBe(expected);

    [Fact]
    public void PlainTextKeepsMarkdownButNotTagsLinksOrMentions() =>
        CardText.Plain("**Pay** <at>Admin</at> @channel https://evil.example \u202E").ShouldBe(@"**Pay** ‹at›Admin‹/at› [@]channel hxxps://evil[.]example \u{202E}");

    [Fact]
    public void LongTextIsCutWithAVisibleMarker()
    {
        string result = CardText.Escape(new string('a', 12_400), 55);

        result.ShouldBe(new string('a', 55) + "… [truncated 12,345 chars]");
    }

    [Fact]
    public void TheLimitBoundsTheEscapedTextNotTheInput()
    {
        string hidden = string.Concat(Enumerable.Repeat("\u200B", 1000));

        string result = CardText.Escape(hidden, 100);

        // Each zero-width space becomes 9 characters (\\u{200B}); 11 fit in 100.
        result.ShouldBe(string.Concat(Enumerable.Repeat(@"\\u{200B}", 11)) + "… [truncated 989 chars]");
    }

    [Fact]
    public void NullAndEmptyAreEmpty()
    {
        CardText.Escape(null).ShouldBe(string.Empty);
        CardText.Plain(string.Empty).ShouldBe(string.Empty);
    }

    [Fact]
    public void AnyTextEscapesToNoLiveFormNoUnescapedMarkdownAndBoundedLength()
    {
        string[] pieces =
            ["**", "_", "[x](https://evil.example/a)", "<at>Admin</at>", "@channel", "<!here>", "<@U1>", "\u200B", "\u202E",
             "\u2066", "\U000E0041", "\r\n", "# ", "- ", "1. ", "> ", "`", "evil.example", "www.", "ceo@corp.example", "10.1.2.3",
             "\u3002com", "\\", "&amp;", "|", "~", "a", " ", "é", "😀", "\uD800", "hxxp://", "file://x", ".", "@"];
        Prop.ForAll(
            Gen.Elements(pieces).ArrayOf().Select(string.Concat).ToArbitrary(),
            Gen.Choose(1, 400).ToArbitrary(),
            (text, max) =>
            {
                string escaped = CardText.Escape(text, max);
                string plain = CardText.Plain(text, max);
                int markerRoom = CardText.TruncationMarker(text.Length).Length;
                return LiveForms.Find(escaped).Count == 0
                    && LiveForms.FindMarkdown(LiveForms.WithoutTruncationMarker(escaped)).Count == 0
                    && LiveForms.Find(plain, markdown: false).Count == 0
                    && !plain.Contains('<', StringComparison.Ordinal)
                    && escaped.Length <= max + markerRoom
                    && plain.Length <= max + markerRoom;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Fact]
    public void OutputHasNoHiddenRunes()
    {
        string escaped = CardText.Escape("\u0000\u001B[31m\u0085\u00AD\u061C\u180E\u200E\u2028\u2029\uFEFF\uFFF9");

        escaped.EnumerateRunes().Any(InvisibleText.IsHidden).ShouldBeFalse();
        Encoding.UTF8.GetByteCount(escaped).ShouldBeGreaterThan(0);
    }
}
