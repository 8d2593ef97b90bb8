using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Commands.Parsing;

/// <summary>One word of a command line; <see cref="End"/> is where it ends in <see cref="CommandText.Text"/>.</summary>
public sealed record CommandToken(string Value, int End);

/// <summary>
/// A message split into words the forgiving way chat users type: leftover bot mentions (<c>&lt;at&gt;ChatOps&lt;/at&gt;</c>,
/// <c>@ChatOps</c>, Slack's <c>&lt;@U123&gt;</c>) and a leading <c>/</c> are dropped; "double", 'single' and the smart
/// quotes Teams and Slack substitute (“…”, ‘…’) group words. A quote opens only at the start of a word and closes only
/// before a space or the end, so names like O'Brien survive; an unclosed quote runs to the end.
/// </summary>
public sealed partial class CommandText
{
    private const string DoubleQuotes = "\"“”„«»";
    private const string SingleQuotes = "'‘’‚";

    private CommandText(string text, IReadOnlyList<CommandToken> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    /// <summary>The message after mentions were removed.</summary>
    public string Text { get; }

    public IReadOnlyList<CommandToken> Tokens { get; }

    public bool IsEmpty => Tokens.Count == 0;

    public static CommandText Parse(string? message)
    {
        string text = StripLeadingMentions(message ?? string.Empty);
        var tokens = new List<CommandToken>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            char first = text[i];
            string? closers = DoubleQuotes.Contains(first, StringComparison.Ordinal) ? DoubleQuotes
                : SingleQuotes.Contains(first, StringComparison.Ordinal) ? SingleQuotes
                : null;
            if (closers is not null)
            {
                int close = FindClosingQuote(text, i + 1, closers);
                if (close < 0)
                {
                    tokens.Add(new CommandToken(text[(i + 1)..].Trim(), text.Length));
                    break;
                }

                tokens.Add(new CommandToken(text[(i + 1)..close], close + 1));
                i = close + 1;
                continue;
            }

            int start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            tokens.Add(new CommandToken(text[start..i], i));
        }

        return new CommandText(text, tokens);
    }

    /// <summary>The text after the first <paramref name="tokenCount"/> words, verbatim (newlines kept), trimmed.</summary>
    public string RestAfter(int tokenCount)
    {
        if (tokenCount <= 0)
        {
            return Text.Trim();
        }

        return tokenCount > Tokens.Count ? string.Empty : Text[Tokens[tokenCount - 1].End..].Trim();
    }

    /// <summary>A word as a command name: lower case, without a leading '/', without invisible format characters.</summary>
    public static string NormalizeName(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        string withoutFormat = string.Concat(word.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format));
        return withoutFormat.TrimStart('/').ToLowerInvariant();
    }

    private static int FindClosingQuote(string text, int from, string closers)
    {
        for (int i = from; i < text.Length; i++)
        {
            if (closers.Contains(text[i], StringComparison.Ordinal) && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                return i;
            }
        }

        return -1;
    }

    private static string StripLeadingMentions(string text)
    {
        string rest = text.TrimStart();
        while (true)
        {
            Match mention = LeadingMention().Match(rest);
            if (!mention.Success)
            {
                return rest;
            }

            rest = rest[mention.Length..].TrimStart();
        }
    }

    // <at>Bot</at> (Teams), <@U123> or <@U123|name> (Slack), or a plain @Bot left by a client that did not tag it.
    [GeneratedRegex(@"\A(?:<at>[^<]{0,256}</at>|<@[A-Z0-9]{1,32}(?:\|[^>]{0,256})?>|@[^\s@<>]{1,256}(?=\s|\z))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LeadingMention();
}
