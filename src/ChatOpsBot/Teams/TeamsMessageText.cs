using System.Net;
using System.Text;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;

namespace ChatOpsBot.Teams;

/// <summary>
/// The text of a Teams message as the command layer reads it: the bot's mention removed and, where Teams sent rich
/// text, HTML turned back into plain lines. Teams keeps the line structure of a multi-line message (a pasted header
/// block) only in HTML: in <c>text</c> itself when it arrives as HTML (<c>&lt;p&gt;</c>, <c>&lt;br&gt;</c>), or in the
/// <c>text/html</c> attachment it adds beside a flattened plain <c>text</c>. Tags are dropped, never interpreted; entities
/// are decoded last, so a user's literal <c>&amp;lt;p&amp;gt;</c> stays text.
/// </summary>
internal static class TeamsMessageText
{
    /// <summary>HTML longer than this is not converted (an activity is at most 256 KB anyway).</summary>
    public const int MaxHtmlChars = 256 * 1024;

    private const int MaxMentionChars = 512;
    private const string HtmlContentType = "text/html";
    private const string MentionItemType = "http://schema.skype.com/Mention";

    // Elements whose end (or, for br, whose occurrence) ends a line.
    private static readonly HashSet<string> s_lineBreakingTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "tr", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
    };

    public static string Of(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        Activity activity = turnContext.Activity;
        string text = turnContext.Text;
        if (LooksLikeHtml(text) || string.Equals(activity.TextFormat, TextFormatTypes.Xml, StringComparison.OrdinalIgnoreCase))
        {
            return FromHtml(text, BotMentionNames(activity));
        }

        // A flattened plain text beside an HTML rendering with line breaks: the rendering keeps the lines. Only when it
        // says the same thing, character for character but for whitespace, so a rendering with more in it (a quoted
        // message) never changes what the user asked.
        if (!text.Contains('\n', StringComparison.Ordinal) && HtmlAttachment(activity) is { } html && HasLineBreaks(html))
        {
            string fromHtml = FromHtml(html, BotMentionNames(activity));
            if (fromHtml.Length > 0 && WithoutWhitespace(fromHtml) == WithoutWhitespace(text))
            {
                return fromHtml;
            }
        }

        return NormalizeNewlines(text).Trim();
    }

    /// <summary>Plain lines from Teams message HTML; spans marked as mentions of the bot (by name) are removed.</summary>
    public static string FromHtml(string html, IReadOnlyCollection<string> botMentionNames)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(botMentionNames);
        if (html.Length > MaxHtmlChars)
        {
            html = html[..MaxHtmlChars];
        }

        var output = new StringBuilder(html.Length);
        int i = 0;
        while (i < html.Length)
        {
            char c = html[i];
            if (c != '<')
            {
                // Source newlines inside HTML are layout, not content; lines come from the tags.
                output.Append(c is '\r' or '\n' ? ' ' : c);
                i++;
                continue;
            }

            // As browsers read it, '<' opens a tag only before a letter, '/' or '!'; otherwise ("a < b") it is text.
            if (!StartsTag(html, i))
            {
                output.Append(c);
                i++;
                continue;
            }

            int close = html.IndexOf('>', i + 1);
            if (close < 0)
            {
                // No '>' anywhere after this: the rest is text (and no later '<' needs another search).
                output.Append(html, i, html.Length - i);
                break;
            }

            string tag = html.Substring(i + 1, close - i - 1);
            string name = TagName(tag);
            if (name.Equals("span", StringComparison.OrdinalIgnoreCase)
                && tag.Contains(MentionItemType, StringComparison.OrdinalIgnoreCase)
                && SkipBotMention(html, close + 1, botMentionNames) is int afterMention)
            {
                i = afterMention;
                continue;
            }

            if (name.Equals("at", StringComparison.OrdinalIgnoreCase) && !tag.StartsWith('/')
                && SkipElement(html, close + 1, "at", botMentionNames) is int afterAt)
            {
                i = afterAt;
                continue;
            }

            if (s_lineBreakingTags.Contains(name) && (tag.StartsWith('/') || name.Equals("br", StringComparison.OrdinalIgnoreCase)))
            {
                output.Append('\n');
            }

            i = close + 1;
        }

        string decoded = WebUtility.HtmlDecode(output.ToString()).Replace('\u00A0', ' ');
        return TrimLines(decoded);
    }

    private static bool LooksLikeHtml(string text) =>
        text.Contains("<p>", StringComparison.OrdinalIgnoreCase)
        || text.Contains("<br", StringComparison.OrdinalIgnoreCase)
        || text.Contains("<div", StringComparison.OrdinalIgnoreCase)
        || text.Contains("</p>", StringComparison.OrdinalIgnoreCase);

    private static bool HasLineBreaks(string html) =>
        html.Contains("<br", StringComparison.OrdinalIgnoreCase)
        || html.Split("</p>", StringSplitOptions.None).Length > 2
        || html.Split("</div>", StringSplitOptions.None).Length > 3;

    private static string? HtmlAttachment(Activity activity)
    {
        if (activity.Attachments is null)
        {
            return null;
        }

        foreach (Attachment attachment in activity.Attachments)
        {
            if (attachment is not null
                && string.Equals(attachment.ContentType, HtmlContentType, StringComparison.OrdinalIgnoreCase)
                && attachment.Content is { ValueKind: System.Text.Json.JsonValueKind.String } content)
            {
                return content.GetString();
            }
        }

        return null;
    }

    /// <summary>The names under which the bot is mentioned in this activity (mention entities naming the recipient).</summary>
    private static List<string> BotMentionNames(Activity activity)
    {
        List<string> names = [];
        string? botId = activity.Recipient?.Id;
        if (string.IsNullOrEmpty(botId))
        {
            return names;
        }

        foreach (Mention mention in activity.GetMentions())
        {
            if (string.Equals(mention.Mentioned.Id, botId, StringComparison.Ordinal))
            {
                string? name = mention.Text is { Length: > 0 } text ? StripAtTag(text) : mention.Mentioned.Name;
                if (!string.IsNullOrWhiteSpace(name))
                {
                    names.Add(WebUtility.HtmlDecode(name).Trim());
                }
            }
        }

        return names;
    }

    private static string StripAtTag(string mentionText) =>
        mentionText.StartsWith("<at>", StringComparison.OrdinalIgnoreCase) && mentionText.EndsWith("</at>", StringComparison.OrdinalIgnoreCase)
            ? mentionText[4..^5]
            : mentionText;

    // A mention span whose text is one of the bot's names: skipped with its content. Other mentions keep their text.
    private static int? SkipBotMention(string html, int contentStart, IReadOnlyCollection<string> botMentionNames) =>
        SkipElement(html, contentStart, "span", botMentionNames);

    private static int? SkipElement(string html, int contentStart, string element, IReadOnlyCollection<string> botMentionNames)
    {
        // A mention is a name: looking further than this for its end would make hostile HTML quadratic.
        string end = $"</{element}>";
        int endAt = html.IndexOf(end, contentStart, Math.Min(MaxMentionChars, html.Length - contentStart), StringComparison.OrdinalIgnoreCase);
        if (endAt < 0)
        {
            return null;
        }

        string content = WebUtility.HtmlDecode(html[contentStart..endAt]).Replace('\u00A0', ' ').Trim();
        return botMentionNames.Any(n => string.Equals(n, content, StringComparison.OrdinalIgnoreCase)) ? endAt + end.Length : null;
    }

    private static bool StartsTag(string html, int at) =>
        at + 1 < html.Length && (char.IsAsciiLetter(html[at + 1]) || html[at + 1] is '/' or '!');

    private static string TagName(string tag)
    {
        int start = tag.StartsWith('/') ? 1 : 0;
        int end = start;
        while (end < tag.Length && char.IsAsciiLetterOrDigit(tag[end]))
        {
            end++;
        }

        return tag[start..end];
    }

    private static string WithoutWhitespace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string NormalizeNewlines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    // Trailing spaces go; leading ones stay (they fold header lines). Runs of blank lines become one.
    private static string TrimLines(string text)
    {
        var lines = new List<string>();
        foreach (string line in NormalizeNewlines(text).Split('\n'))
        {
            string trimmed = line.TrimEnd();
            if (trimmed.Length == 0 && (lines.Count == 0 || lines[^1].Length == 0))
            {
                continue;
            }

            lines.Add(trimmed);
        }

        return string.Join('\n', lines).Trim();
    }
}
