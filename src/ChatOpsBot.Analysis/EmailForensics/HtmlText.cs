using System.Text;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;

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

    public static string ToText(string html)
    {
        HtmlTokenizer tokenizer = HtmlTokens.Create(html.Length > MaxChars ? html[..MaxChars] : html);
        var builder = new StringBuilder(Math.Min(html.Length, MaxChars) / 2);
        string? skipUntil = null;
        while (builder.Length < MaxChars)
        {
            HtmlToken token = tokenizer.Get();
            switch (token.Type)
            {
                case HtmlTokenType.EndOfFile:
                    return builder.ToString();
                case HtmlTokenType.StartTag:
                    HtmlTagToken tag = token.AsTag();
                    if (s_blockElements.Contains(tag.Name))
                    {
                        builder.Append('\n');
                    }

                    if (!tag.IsSelfClosing && tag.Name is "script" or "style" or "title" or "textarea" or "xmp" or "iframe" or "noembed" or "noframes")
                    {
                        tokenizer.State = tag.Name == "script" ? HtmlParseMode.Script : tag.Name is "title" or "textarea" ? HtmlParseMode.RCData : HtmlParseMode.Rawtext;
                        skipUntil = tag.Name;
                    }

                    break;
                case HtmlTokenType.EndTag:
                    if (skipUntil == token.Name)
                    {
                        skipUntil = null;
                    }
                    else if (token.Name != "br" && s_blockElements.Contains(token.Name))
                    {
                        builder.Append('\n');
                    }

                    break;
                case HtmlTokenType.Character when skipUntil is null:
                    foreach (char c in token.Data)
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
