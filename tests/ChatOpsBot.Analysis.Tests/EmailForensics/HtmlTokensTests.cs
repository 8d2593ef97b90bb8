using System.Text;
using AngleSharp.Html;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using AngleSharp.Text;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Mail;
using ChatOpsBot.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics;

/// <summary>
/// <see cref="HtmlTokens"/> reads markup through a read-only text source for speed; these tests hold it to exactly the
/// tokens of AngleSharp's plain <c>new TextSource(string)</c>, so the analysis sees the same markup either way.
/// </summary>
public class HtmlTokensTests
{
    private static readonly string[] s_pieces =
    [
        "<", ">", "</", "/>", "<a href=\"https://x.example/?a=1&amp;b=2\">", "</a>", "<A HREF='x'>", "<img src=x alt=\"y\">",
        "<script>", "</script>", "<style>", "</style>", "<title>", "</title>", "<textarea>", "</textarea>", "<plaintext>",
        "<!--", "-->", "<!-- [if mso]> -->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?xml ?>", "&", "&amp;", "&lt", "&#", "&#x41;",
        "&#65", "&#xZZ;", "&notin;", "&notit;", "&copy", "\r\n", "\r", "\n", "\0", "\uFFFF", "\uFFFD", "\uFEFF", "\u00A0", "\t", " ",
        "text", "http://evil.example/", "=", "\"", "'", "`", "<p", "<div class=\"a\"", "x=1", "<br/>", "<meta http-equiv=refresh content='0;url=x'>",
        "é", "\uD83D\uDE00", "\uD800",
    ];

    private static Gen<string> Markup() =>
        Gen.Elements(s_pieces).ListOf().Select(parts => string.Concat(parts));

    /// <summary>
    /// Every token as text (type, name, data, self-closing flag, attributes), switching the tokenizer into the text
    /// modes the analysis uses after script, style, title, textarea and plaintext start tags.
    /// </summary>
    private static List<string> Tokens(HtmlTokenizer tokenizer)
    {
        var tokens = new List<string>();
        while (true)
        {
            HtmlToken token = tokenizer.Get();
            var line = new StringBuilder($"{token.Type}|{token.Name}|{token.Data}");
            if (token is HtmlTagToken tag)
            {
                line.Append('|').Append(tag.IsSelfClosing);
                foreach (HtmlAttributeToken attribute in tag.Attributes)
                {
                    line.Append('|').Append(attribute.Name).Append('=').Append(attribute.Value);
                }

                if (tag.Type == HtmlTokenType.StartTag && !tag.IsSelfClosing)
                {
                    tokenizer.State = tag.Name switch
                    {
                        "script" => HtmlParseMode.Script,
                        "style" or "xmp" or "iframe" or "noembed" or "noframes" => HtmlParseMode.Rawtext,
                        "title" or "textarea" => HtmlParseMode.RCData,
                        "plaintext" => HtmlParseMode.Plaintext,
                        _ => tokenizer.State,
                    };
                }
            }

            tokens.Add(line.ToString());
            if (token.Type == HtmlTokenType.EndOfFile)
            {
                return tokens;
            }
        }
    }

    private static List<string> ReferenceTokens(string html) =>
        Tokens(new HtmlTokenizer(new TextSource(html), HtmlEntityProvider.Resolver) { DisableElementPositionTracking = true });

    [Theory]
    [InlineData("<a href=\"https://a.example/\">x\uFFFFy</a><a href=\"https://hidden.example/\">z</a>")]
    [InlineData("\uFFFF")]
    [InlineData("<p title=\"\uFFFF\">\r\n\r\r\n\0</p>")]
    [InlineData("<script>var u = 'https://x.example/\uFFFF';</script><style>\uFFFF</style>text")]
    [InlineData("<textarea>&amp;\uFFFF</textarea><plaintext><a href=x>")]
    [InlineData("<!-- \uFFFF --><![CDATA[\uFFFF]]>&#xFFFF;&#65535;")]
    public void GivesTheTokensOfAStringTextSourceIncludingForTheEndOfFileCharacter(string html) =>
        Tokens(HtmlTokens.Create(html)).ShouldBe(ReferenceTokens(html));

    [Fact]
    public void GivesTheTokensOfAStringTextSourceOnGeneratedMarkup() =>
        Prop.ForAll(Markup().ToArbitrary(), html => Tokens(HtmlTokens.Create(html)).SequenceEqual(ReferenceTokens(html)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(3_000));

    [SharedFolderFact]
    public void GivesTheTokensOfAStringTextSourceOnEveryHtmlBodyOfTheCorpus()
    {
        int compared = 0;
        foreach (string file in Directory.EnumerateFiles(SharedFolder.PathTo("corpus/mail"), "*.eml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (MimeMessage.Load(File.ReadAllBytes(file)).HtmlBody is { } html)
            {
                Tokens(HtmlTokens.Create(html)).ShouldBe(ReferenceTokens(html), file);
                compared++;
            }
        }

        compared.ShouldBeGreaterThan(20);
    }
}
