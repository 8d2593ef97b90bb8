using System.Text;

namespace ChatOpsBot.Cards.BlockKit;

/// <summary>
/// Turns card text into Slack text that can only show what it says. Card text has already been through
/// <see cref="CardText"/> (hidden characters visible, URLs and hosts defanged, standalone <c>@</c> bracketed,
/// CommonMark backslash escapes); here the CommonMark escapes are undone (<see cref="CardMarkdown"/>) and the literal
/// text escaped again for Slack:
/// <list type="bullet">
/// <item><c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> become entities (teams-and-slack.md B6.7), so no <c>&lt;!channel&gt;</c>,
/// <c>&lt;@U123&gt;</c>, <c>&lt;!subteam^S1&gt;</c>, <c>&lt;!date^…&gt;</c> or <c>&lt;https://x|label&gt;</c> can form;</item>
/// <item>mrkdwn has no escape character, so formatting characters that could open or close bold, italics, strike or
/// code (every <c>*</c> and <c>`</c>, <c>_</c> and <c>~</c> at a word boundary) become look-alikes (∗ ˍ ∼ ˋ), a
/// <c>&gt;</c> starting a line (a quote) becomes ˃, the first colon of an emoji code (<c>:white_check_mark:</c>)
/// becomes ∶, as does the colon of an <c>http://</c>, <c>https://</c> or <c>ftp://</c> that escaped defanging, and the
/// <c>@</c> of <c>@here</c>, <c>@channel</c>, <c>@everyone</c> becomes ＠; an underscore or tilde
/// between two letters or digits (<c>Invoice_0512</c>, <c>PROGRA~1</c>) stays, as Slack does not format inside
/// words;</item>
/// <item>every mrkdwn object is sent with <c>verbatim: true</c> (no auto-linking or mention parsing) and plain text
/// with <c>emoji: false</c>; plain text shows <c>&lt;</c> <c>&gt;</c> as ‹ › like <see cref="CardText.Plain"/>.</item>
/// </list>
/// Only our own markup (the <c>**bold**</c> the builders write, code spans for monospace text) becomes mrkdwn.
/// </summary>
public static class SlackMrkdwn
{
    // Look-alikes for mrkdwn's formatting characters (the substitution jsx-slack's escaping uses).
    private const char AsteriskLookalike = '\u2217';
    private const char UnderscoreLookalike = '\u02CD';
    private const char TildeLookalike = '\u223C';
    private const char BacktickLookalike = '\u02CB';
    private const char QuoteLookalike = '\u02C3';
    private const char ColonLookalike = '\u2236';
    private const char AtLookalike = '\uFF20';

    private static readonly string[] s_broadcastWords = ["here", "channel", "everyone"];

    private const int MaxEmojiNameLength = 100;

    /// <summary>
    /// <paramref name="literal"/> (text to show as written, no markup) as mrkdwn: entities for <c>&amp; &lt; &gt;</c>,
    /// formatting and emoji codes neutralised, at most <paramref name="maxChars"/> characters with a visible
    /// truncation marker.
    /// </summary>
    public static string Escape(string? literal, int maxChars = BlockKitLimits.SectionTextChars) =>
        Prose([new TextRun(literal ?? string.Empty, Bold: false)], maxChars);

    /// <summary>
    /// Card text (CardText-escaped, with the builders' <c>**bold**</c>) as one mrkdwn line, bold where the card is bold
    /// (<paramref name="allBold"/> for a bold TextBlock).
    /// </summary>
    public static string FromCardText(string? cardText, int maxChars, bool allBold = false)
    {
        List<TextRun> runs = CardMarkdown.Parse(cardText);
        return Prose(allBold ? [.. runs.Select(r => r with { Bold = true })] : runs, maxChars);
    }

    /// <summary>Card text as the inside of a code span or block (monospace text): no formatting, no emoji, no entities.</summary>
    public static string CodeFromCardText(string? cardText, int maxChars) =>
        Code(CardMarkdown.Literal(cardText), maxChars);

    /// <summary>Card text for a <c>plain_text</c> object (header, button label): markup removed, ‹ › for angle brackets.</summary>
    public static string PlainFromCardText(string? cardText, int maxChars) =>
        Plain(CardMarkdown.Literal(cardText), maxChars);

    /// <summary><paramref name="literal"/> for a <c>plain_text</c> object, cut to <paramref name="maxChars"/> with a marker.</summary>
    public static string Plain(string? literal, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        List<Token> tokens = [];
        foreach (Rune rune in (literal ?? string.Empty).EnumerateRunes())
        {
            string output = rune.Value switch
            {
                '<' => "‹",
                '>' => "›",
                _ => rune.ToString(),
            };
            tokens.Add(new Token(output, rune.Utf16SequenceLength, TokenKind.Text));
        }

        return Cut(tokens, maxChars);
    }

    internal static string Code(string literal, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        List<Token> tokens = [];
        int index = 0;
        foreach (Rune rune in literal.EnumerateRunes())
        {
            string output = rune.Value switch
            {
                '`' => BacktickLookalike.ToString(),
                '@' when StartsBroadcastWord(literal, index) => AtLookalike.ToString(),
                ':' when IsWebSchemeSeparator(literal, index) => ColonLookalike.ToString(),
                _ => Entity(rune),
            };
            tokens.Add(new Token(output, rune.Utf16SequenceLength, TokenKind.Text));
            index += rune.Utf16SequenceLength;
        }

        return Cut(tokens, maxChars);
    }

    internal static string Prose(IReadOnlyList<TextRun> runs, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        List<Token> tokens = [];
        bool atLineStart = true;
        foreach (TextRun run in Merge(runs))
        {
            string safe = Neutralise(run.Text, ref atLineStart);
            int start = 0;
            int end = safe.Length;
            if (run.Bold)
            {
                // Slack only formats *bold* when the markers touch non-space text.
                while (start < end && char.IsWhiteSpace(safe[start]))
                {
                    start++;
                }

                while (end > start && char.IsWhiteSpace(safe[end - 1]))
                {
                    end--;
                }
            }

            AddText(tokens, safe[..start]);
            if (run.Bold && end > start)
            {
                tokens.Add(new Token("*", 0, TokenKind.OpenBold));
                AddText(tokens, safe[start..end]);
                tokens.Add(new Token("*", 0, TokenKind.CloseBold));
            }
            else
            {
                AddText(tokens, safe[start..end]);
            }

            AddText(tokens, safe[end..]);
        }

        return Cut(tokens, maxChars);
    }

    private static IEnumerable<TextRun> Merge(IReadOnlyList<TextRun> runs)
    {
        TextRun? pending = null;
        foreach (TextRun run in runs)
        {
            if (run.Text.Length == 0)
            {
                continue;
            }

            if (pending is { } previous && previous.Bold == run.Bold)
            {
                pending = previous with { Text = previous.Text + run.Text };
            }
            else
            {
                if (pending is { } done)
                {
                    yield return done;
                }

                pending = run;
            }
        }

        if (pending is { } last)
        {
            yield return last;
        }
    }

    private static void AddText(List<Token> tokens, string text)
    {
        foreach (Rune rune in text.EnumerateRunes())
        {
            tokens.Add(new Token(Entity(rune), rune.Utf16SequenceLength, TokenKind.Text));
        }
    }

    private static string Entity(Rune rune) => rune.Value switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        _ => rune.ToString(),
    };

    // One-for-one character substitutions, so the text keeps its length and truncation counts stay true.
    private static string Neutralise(string text, ref bool atLineStart)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            char? previous = i > 0 ? text[i - 1] : null;
            char? next = i + 1 < text.Length ? text[i + 1] : null;
            char output = c switch
            {
                '*' => AsteriskLookalike,
                '_' when !InsideWord(previous, next) => UnderscoreLookalike,
                '~' when !InsideWord(previous, next) => TildeLookalike,
                '`' => BacktickLookalike,
                '>' when atLineStart => QuoteLookalike,
                ':' when StartsEmojiCode(text, i) || IsWebSchemeSeparator(text, i) => ColonLookalike,
                '@' when StartsBroadcastWord(text, i) => AtLookalike,
                _ => c,
            };
            builder.Append(output);
            atLineStart = c == '\n' || (atLineStart && c is ' ' or '\t');
        }

        return builder.ToString();
    }

    // A live "http://", "https://", "ftp://" that CardText's defanging did not catch (it only looks at schemes that start
    // a word, so "1https://x" keeps its scheme): its colon becomes ∶, so no client can take it for a link.
    private static bool IsWebSchemeSeparator(string text, int colon) =>
        text.AsSpan(colon).StartsWith("://", StringComparison.Ordinal)
        && (text.AsSpan(0, colon).EndsWith("http", StringComparison.OrdinalIgnoreCase)
            || text.AsSpan(0, colon).EndsWith("https", StringComparison.OrdinalIgnoreCase)
            || text.AsSpan(0, colon).EndsWith("ftp", StringComparison.OrdinalIgnoreCase)
            || text.AsSpan(0, colon).EndsWith("ftps", StringComparison.OrdinalIgnoreCase));

    // "@here", "@channel", "@everyone" as words: CardText already brackets a standalone "@", this also covers one
    // after a letter ("x@here"), in case a Slack client parses it as a broadcast.
    private static bool StartsBroadcastWord(string text, int at)
    {
        foreach (string word in s_broadcastWords)
        {
            int end = at + 1 + word.Length;
            if (end <= text.Length && text.AsSpan(at + 1, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase)
                && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InsideWord(char? previous, char? next) =>
        previous is char p && char.IsLetterOrDigit(p) && next is char n && char.IsLetterOrDigit(n);

    // ":name:" where name is what Slack accepts in an emoji code (letters, digits, _ + - ') with a letter or a leading
    // sign (":+1:"), so times ("08:13:58") stay as they are.
    private static bool StartsEmojiCode(string text, int colon)
    {
        bool letter = colon + 1 < text.Length && text[colon + 1] is '+' or '-';
        for (int i = colon + 1; i < text.Length && i - colon <= MaxEmojiNameLength; i++)
        {
            char c = text[i];
            if (c == ':')
            {
                return letter;
            }

            if (char.IsAsciiLetter(c))
            {
                letter = true;
            }
            else if (!char.IsAsciiDigit(c) && c is not ('_' or '+' or '-' or '\''))
            {
                return false;
            }
        }

        return false;
    }

    // Joins the tokens, or cuts them so that text, closing markup and the truncation marker fit in maxChars. A cut
    // never splits an entity, a surrogate pair or a bold span.
    private static string Cut(List<Token> tokens, int maxChars)
    {
        int total = tokens.Sum(t => t.Output.Length);
        if (total <= maxChars)
        {
            return string.Concat(tokens.Select(t => t.Output));
        }

        int sourceChars = tokens.Sum(t => t.SourceChars);
        int budget = maxChars - CardText.TruncationMarker(sourceChars).Length - 1;
        var kept = new List<Token>();
        int length = 0;
        foreach (Token token in tokens)
        {
            if (length + token.Output.Length > budget)
            {
                break;
            }

            kept.Add(token);
            length += token.Output.Length;
        }

        int openAt = kept.FindLastIndex(t => t.Kind != TokenKind.Text);
        if (openAt >= 0 && kept[openAt].Kind == TokenKind.OpenBold)
        {
            // Close the bold span after its last non-space character, or drop an empty one.
            while (kept.Count > openAt + 1 && kept[^1].Output.Trim().Length == 0)
            {
                kept.RemoveAt(kept.Count - 1);
            }

            if (kept.Count == openAt + 1)
            {
                kept.RemoveAt(openAt);
            }
            else
            {
                kept.Add(new Token("*", 0, TokenKind.CloseBold));
            }
        }

        int removed = sourceChars - kept.Sum(t => t.SourceChars);
        return string.Concat(kept.Select(t => t.Output)) + CardText.TruncationMarker(removed);
    }

    private enum TokenKind
    {
        Text,
        OpenBold,
        CloseBold,
    }

    private readonly record struct Token(string Output, int SourceChars, TokenKind Kind);
}

/// <summary>A piece of card text and whether the card shows it bold.</summary>
internal readonly record struct TextRun(string Text, bool Bold);

/// <summary>
/// Reads the markdown our builders write into TextBlocks: CommonMark backslash escapes (every literal from
/// <see cref="CardText"/>) and <c>**bold**</c> (the only markup the builders add). Anything else is literal.
/// </summary>
internal static class CardMarkdown
{
    public static List<TextRun> Parse(string? cardText)
    {
        if (string.IsNullOrEmpty(cardText))
        {
            return [];
        }

        // Pass 1: literal segments and "**" delimiters. Pass 2: delimiters pair up in order; an unpaired last one is
        // literal text.
        var segments = new List<(string Text, bool Delimiter)>();
        var literal = new StringBuilder();
        for (int i = 0; i < cardText.Length; i++)
        {
            char c = cardText[i];
            if (c == '\\' && i + 1 < cardText.Length && IsAsciiPunctuation(cardText[i + 1]))
            {
                literal.Append(cardText[i + 1]);
                i++;
            }
            else if (c == '*' && i + 1 < cardText.Length && cardText[i + 1] == '*')
            {
                segments.Add((literal.ToString(), false));
                literal.Clear();
                segments.Add(("**", true));
                i++;
            }
            else
            {
                literal.Append(c);
            }
        }

        segments.Add((literal.ToString(), false));
        int delimiters = segments.Count(s => s.Delimiter);
        var runs = new List<TextRun>();
        bool bold = false;
        int seen = 0;
        foreach ((string text, bool delimiter) in segments)
        {
            if (!delimiter)
            {
                runs.Add(new TextRun(text, bold));
                continue;
            }

            seen++;
            if (seen == delimiters && delimiters % 2 == 1)
            {
                runs.Add(new TextRun(text, bold));
            }
            else
            {
                bold = !bold;
            }
        }

        return [.. runs.Where(r => r.Text.Length > 0)];
    }

    /// <summary>The text the card shows, markup removed.</summary>
    public static string Literal(string? cardText) => string.Concat(Parse(cardText).Select(r => r.Text));

    private static bool IsAsciiPunctuation(char c) => c is >= '!' and <= '/' or >= ':' and <= '@' or >= '[' and <= '`' or >= '{' and <= '~';
}
