using System.Text;
using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Cards.Tests.Safety;

/// <summary>
/// What a card's text must never contain once a host has rendered its markdown: the test side's independent check of
/// <see cref="CardText"/>. <see cref="Rendered"/> removes markdown backslash escapes as CommonMark does, so the
/// patterns see what an analyst (and an auto-linker) would see.
/// </summary>
internal static partial class LiveForms
{
    public static string Rendered(string escaped) => BackslashEscape().Replace(escaped, "$1");

    /// <summary>
    /// Every live form in card text as sent (<paramref name="rawText"/>, where hosts look for <c>&lt;at&gt;</c> tags) and
    /// as rendered (links, linkable hosts and addresses, mentions, hidden characters).
    /// </summary>
    /// <param name="markdown">Whether hosts render the text as markdown (TextBlock, Fact) or show it as is.</param>
    public static IReadOnlyList<string> Find(string rawText, bool markdown = true)
    {
        var found = new List<string>();
        foreach (Match match in Tag().Matches(rawText))
        {
            found.Add(match.Value);
        }

        string renderedText = markdown ? Rendered(rawText) : rawText;
        foreach (Match match in LiveForm().Matches(renderedText))
        {
            found.Add(match.Value);
        }

        foreach (Rune rune in renderedText.EnumerateRunes())
        {
            if (InvisibleText.IsHidden(rune))
            {
                found.Add($"U+{rune.Value:X4}");
            }
        }

        return found;
    }

    /// <summary>Markdown constructs that only unescaped text can form (checked on the escaped text).</summary>
    public static IReadOnlyList<string> FindMarkdown(string escapedText) =>
        [.. UnescapedMarkdown().Matches(escapedText).Select(m => m.Value)];

    public static string WithoutTruncationMarker(string text) => TruncationMarker().Replace(text, string.Empty);

    [GeneratedRegex(@"… \[truncated [0-9,]+ chars\]$")]
    private static partial Regex TruncationMarker();

    [GeneratedRegex(@"\\([!-/:-@\[-`{-~])")]
    private static partial Regex BackslashEscape();

    [GeneratedRegex(
        @"(?i)(?:\b(?:https?|ftps?|file|smb|mailto)://|\bwww\.[\p{L}\p{N}]|[\p{L}\p{N}-]+[.\u3002\uFF0E\uFF61][\p{L}]{2,}|\b\d{1,3}(?:\.\d{1,3}){3}\b|(?<![\p{L}\p{N}\[])@(?:channel|here|everyone|all)\b)")]
    private static partial Regex LiveForm();

    // A whole tag as a host's mention or Slack parser reads it; a backslash before '>' breaks it.
    [GeneratedRegex(@"(?i)<\s*/?\s*at(?:\s[^<>\\]*)?>|<[!@#][^<>\s\\]*>")]
    private static partial Regex Tag();

    // A markdown-significant character without a backslash before it (an even number of backslashes).
    [GeneratedRegex(@"(?<!\\)(?:\\\\)*[*_`~\[\]()#|<>&]")]
    private static partial Regex UnescapedMarkdown();
}
