using System.Text;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Slack.Inbound;

/// <summary>
/// Turns Slack's message markup into the plain text a command parser reads: the bot's own mentions are removed,
/// <c>&lt;mailto:a@b|a@b&gt;</c> becomes <c>a@b</c>, <c>&lt;https://x|label&gt;</c> the URL, <c>&lt;@U123&gt;</c>
/// <c>@U123</c>, <c>&lt;#C123|name&gt;</c> <c>#name</c>, <c>&lt;!here&gt;</c> <c>@here</c>, and the entities Slack
/// escapes <c>&amp; &lt; &gt;</c> with are decoded last (teams-and-slack.md B6.7).
/// </summary>
public static partial class SlackMessageText
{
    /// <summary>Slack's own limit for a message's text.</summary>
    public const int MaxChars = 40_000;

    public static string ToCommandText(string? slackText, IReadOnlyCollection<string> botUserIds)
    {
        ArgumentNullException.ThrowIfNull(botUserIds);
        if (string.IsNullOrEmpty(slackText))
        {
            return string.Empty;
        }

        string text = slackText.Length > MaxChars ? slackText[..MaxChars] : slackText;
        string replaced = Token().Replace(text, match => Replacement(match.Groups["target"].Value, match.Groups["label"].Success ? match.Groups["label"].Value : null, botUserIds));
        return Decode(replaced).Trim();
    }

    /// <summary>Decodes the three entities Slack escapes; anything else that looks like an entity stays as written.</summary>
    public static string Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('&', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            ReadOnlySpan<char> rest = text.AsSpan(i);
            if (rest.StartsWith("&amp;", StringComparison.Ordinal))
            {
                builder.Append('&');
                i += 4;
            }
            else if (rest.StartsWith("&lt;", StringComparison.Ordinal))
            {
                builder.Append('<');
                i += 3;
            }
            else if (rest.StartsWith("&gt;", StringComparison.Ordinal))
            {
                builder.Append('>');
                i += 3;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static string Replacement(string target, string? label, IReadOnlyCollection<string> botUserIds)
    {
        if (target.StartsWith('@'))
        {
            string user = target[1..];
            return botUserIds.Contains(user) ? string.Empty : "@" + user;
        }

        if (target.StartsWith('#'))
        {
            return "#" + (label ?? target[1..]);
        }

        if (target.StartsWith('!'))
        {
            // <!here>, <!channel>, <!subteam^S1|@team>, <!date^...|fallback>: the text a reader saw.
            return label ?? "@" + target[1..].Split('^')[0];
        }

        if (target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return target["mailto:".Length..];
        }

        return target;
    }

    [GeneratedRegex(@"<(?<target>[^<>|]{1,2000})(?:\|(?<label>[^<>]{0,2000}))?>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Token();
}
