using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// Renders HTML to plain text with a line break per block element and <c>&lt;br&gt;</c>, so that a forward's
/// quoted header block (which Outlook sends only as HTML) keeps its one-field-per-line shape.
/// </summary>
internal static class HtmlText
{
    private const int MaxChars = 2_000_000;

    private static readonly HashSet<string> s_blockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "hr", "pre", "section", "article",
    };

    public static string ToText(string html)
    {
        var parser = new HtmlParser();
        using IDocument document = parser.ParseDocument(html.Length > MaxChars ? html[..MaxChars] : html);
        var builder = new StringBuilder();
        if (document.Body is { } body)
        {
            Append(body, builder, 0);
        }

        return builder.ToString();
    }

    private static void Append(INode node, StringBuilder builder, int depth)
    {
        if (depth > 256 || builder.Length > MaxChars)
        {
            return;
        }

        foreach (INode child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    builder.Append(text.Data.Replace('\u00A0', ' ').Replace('\n', ' ').Replace('\r', ' '));
                    break;
                case IElement element when element.LocalName is "script" or "style" or "head" or "title":
                    break;
                case IElement element when element.LocalName == "br":
                    builder.Append('\n');
                    break;
                case IElement element:
                    bool block = s_blockElements.Contains(element.LocalName);
                    if (block)
                    {
                        builder.Append('\n');
                    }

                    Append(element, builder, depth + 1);
                    if (block)
                    {
                        builder.Append('\n');
                    }

                    break;
                default:
                    break;
            }
        }
    }
}
