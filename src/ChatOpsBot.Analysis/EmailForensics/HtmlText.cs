using System.Text;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using AngleSharp.Html.Parser.Tokens.Struct;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// Renders HTML to plain text with a line break per block element and <c>&lt;br&gt;</c>, so that a forward's
/// quoted header block (which Outlook sends only as HTML) keeps its one-field-per-line shape. Uses AngleSharp's
/// tokenizer, not its tree builder, which is quadratic in nesting depth on hostile markup.
/// </summary>
internal static class HtmlText
{
    private const int MaxChars = 2_000_000;

    private static readonly HashSet<string> s_blockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "hr", "pre", "section", "article",
    };

    // Tokens are read as structs (see UrlExtractor.ScanHtml): text is copied from where the tokenizer holds it.
    public static string ToText(string html)
    {
        using HtmlTokenizer tokenizer = HtmlTokens.Create(html.Length > MaxChars ? html[..MaxChars] : html);
        var builder = new StringBuilder(Math.Min(html.Length, MaxChars) / 2);
        string? skipUntil = null;
        while (builder.Length < MaxChars)
        {
            ref StructHtmlToken token = ref tokenizer.GetStructToken();
            switch (token.Type)
            {
                case HtmlTokenType.EndOfFile:
                    return builder.ToString();
                case HtmlTokenType.StartTag:
                    string name = token.Name.ToString();
                    if (s_blockElements.Contains(name))
                    {
                        builder.Append('\n');
                    }

                    if (!token.IsSelfClosing && name is "script" or "style" or "title" or "textarea" or "xmp" or "iframe" or "noembed" or "noframes")
                    {
                        tokenizer.State = name == "script" ? HtmlParseMode.Script : name is "title" or "textarea" ? HtmlParseMode.RCData : HtmlParseMode.Rawtext;
                        skipUntil = name;
                    }

                    break;
                case HtmlTokenType.EndTag:
                    string endName = token.Name.ToString();
                    if (skipUntil == endName)
                    {
                        skipUntil = null;
                    }
                    else if (endName != "br" && s_blockElements.Contains(endName))
                    {
                        builder.Append('\n');
                    }

                    break;
                case HtmlTokenType.Character when skipUntil is null:
                    foreach (char c in token.Data.Memory.Span)
                    {
                        builder.Append(c is '\n' or '\r' or '\u00A0' ? ' ' : c);
                    }

                    break;
                default:
                    break;
            }
        }

        return builder.ToString();
    }
}
