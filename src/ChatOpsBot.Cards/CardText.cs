using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.EmailForensics;

namespace ChatOpsBot.Cards;

/// <summary>
/// The one place where text from mail, files or users becomes card text. Every builder passes every such string
/// through <see cref="Escape"/> (TextBlock and FactSet text, which hosts render as markdown) or <see cref="Plain"/>
/// (fallback text, speech, button titles), so nothing a sender writes can format, link, mention or hide:
/// <list type="bullet">
/// <item>control, bidi override and isolate, zero-width, Unicode tag and blank-letter characters become <c>\u{202E}</c>;</item>
/// <item>URLs, domain- and address-looking tokens and IPv4 addresses are defanged (<c>hxxps://evil[.]example</c>,
/// <c>user@evil[.]example</c>, <c>203[.]0[.]113[.]9</c>), so no auto-linker finds a host in them;</item>
/// <item>a standalone <c>@</c> becomes <c>[@]</c> (<c>@channel</c>, <c>@here</c>, Slack's <c>&lt;@U123&gt;</c>);</item>
/// <item>markdown punctuation (<c>* _ ` ~ [ ] ( ) # | &amp; &lt; &gt; \</c>, and list or heading markers at the start)
/// is backslash-escaped, which also breaks <c>&lt;at&gt;</c> tags and <c>](</c> link syntax for renderers that
/// ignore escapes;</item>
/// <item>the result is cut to a length with a visible <c>… [truncated 12,345 chars]</c> marker.</item>
/// </list>
/// </summary>
public static partial class CardText
{
    /// <summary>Default bound on one escaped string, marker excluded.</summary>
    public const int DefaultMaxChars = 300;

    // Letters that render as nothing (Hangul fillers, Mongolian vowel separator, Braille blank): a "blank" display
    // name made of them would look empty.
    private static readonly int[] s_blankLetters = [0x115F, 0x1160, 0x180E, 0x2800, 0x3164, 0xFFA0];

    /// <summary>
    /// <paramref name="text"/> made safe for TextBlock or Fact text (the markdown subset), at most
    /// <paramref name="maxChars"/> characters plus a truncation marker. Null becomes empty.
    /// </summary>
    public static string Escape(string? text, int maxChars = DefaultMaxChars) => Render(text, maxChars, markdown: true, defang: true);

    /// <summary>
    /// <paramref name="text"/> made safe for a plain-text field (<c>fallbackText</c>, <c>speak</c>, button titles):
    /// as <see cref="Escape"/>, except that markdown is not escaped and <c>&lt;</c> <c>&gt;</c> become ‹ ›.
    /// </summary>
    public static string Plain(string? text, int maxChars = DefaultMaxChars) => Render(text, maxChars, markdown: false, defang: true);

    /// <summary>
    /// Our own text that contains markdown characters (command usage such as <c>vip check "&lt;name&gt;" [days]</c>):
    /// markdown is escaped and hidden characters shown, but addresses stay as written so examples can be copied.
    /// Never for text from mail, files or users.
    /// </summary>
    public static string Literal(string? text, int maxChars = DefaultMaxChars) => Render(text, maxChars, markdown: true, defang: false);

    /// <summary>The marker appended to cut text: <c>… [truncated 12,345 chars]</c>.</summary>
    public static string TruncationMarker(long removedChars) =>
        string.Create(CultureInfo.InvariantCulture, $"… [truncated {removedChars:N0} chars]");

    private static string Render(string? text, int maxChars, bool markdown, bool defang)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // Escaping lengthens text (one character may become eight), so the input prefix shrinks until its escaped
        // form fits; the marker counts the input characters left out.
        int take = Math.Min(text.Length, maxChars);
        while (true)
        {
            if (take < text.Length && take > 0 && char.IsHighSurrogate(text[take - 1]))
            {
                take--;
            }

            string body = take == 0 ? string.Empty : Transform(text[..take], markdown, defang);
            if (body.Length <= maxChars)
            {
                return take == text.Length ? body : body + TruncationMarker(text.Length - take);
            }

            take = (int)Math.Min(take - 1L, (long)take * maxChars / body.Length);
        }
    }

    private static string Transform(string text, bool markdown, bool defang)
    {
        string visible = MakeVisible(text);
        string unmentioned = defang ? StandaloneAt().Replace(DefangIndicators(visible), "[@]") : visible;
        return markdown ? EscapeMarkdown(unmentioned) : unmentioned.Replace('<', '‹').Replace('>', '›');
    }

    private static string MakeVisible(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (InvisibleText.IsHidden(rune) || Array.IndexOf(s_blankLetters, rune.Value) >= 0)
            {
                InvisibleText.AppendEscaped(builder, rune);
            }
            else
            {
                builder.Append(rune);
            }
        }

        return builder.ToString();
    }

    private static string DefangIndicators(string text)
    {
        // Tokens with a scheme: Defang.Url turns http/https/ftp/ftps into hxxp.. wherever they appear and brackets the
        // host; any other "scheme://" (file, smb, ...) loses its "://".
        string result = SchemeToken().Replace(text, m => OtherScheme().Replace(Defang.Url(m.Value), "$1[://]"));

        // A web scheme glued to a preceding word ("1https://x") is not a token above, but linkifiers still find it.
        result = EmbeddedWebScheme().Replace(result, m => (m.Groups["web"].Success ? "hxxp" : "fxp") + m.Groups["s"].Value + "://");
        result = Ipv4().Replace(result, m => Defang.Ip(m.Value));
        return DomainDot().Replace(result, "[.]");
    }

    private static string EscapeMarkdown(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        int start = 0;
        while (start < text.Length && text[start] == ' ')
        {
            builder.Append(' ');
            start++;
        }

        // Block markers only count at the start: "- " "+ " "= " (lists, setext headings) and "1." "1)" (ordered lists).
        if (start < text.Length && text[start] is '-' or '+' or '=')
        {
            builder.Append('\\');
        }

        int digitsEnd = start;
        while (digitsEnd < text.Length && char.IsAsciiDigit(text[digitsEnd]))
        {
            digitsEnd++;
        }

        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            bool orderedListMarker = i == digitsEnd && i > start && c == '.';
            if (orderedListMarker || c is '\\' or '*' or '_' or '`' or '~' or '[' or ']' or '(' or ')' or '#' or '|' or '&' or '<' or '>')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"(?<![\p{L}\p{N}])[A-Za-z][A-Za-z0-9+.\-]*:\S*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SchemeToken();

    [GeneratedRegex(@"(?:(?<web>http)|ftp)(?<s>s?)://", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EmbeddedWebScheme();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])(?!(?:hxxps?|fxps?)://)([A-Za-z][A-Za-z0-9+.\-]*)://", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OtherScheme();

    // Four or more dot-separated numbers: an IPv4 address, also inside longer runs ("1.2.3.4.5", "www.10.1.2.3").
    [GeneratedRegex(@"\d+(?:\.\d+){3,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Ipv4();

    // A dot (or an ideographic / full-width / half-width full stop, which browsers and linkers read as one) between
    // two name characters, except between two digits ("3.5"; IPv4 addresses are handled above).
    [GeneratedRegex(@"(?<=[\p{L}\p{M}\p{N}_\-])[.\u3002\uFF0E\uFF61](?=[\p{L}\p{N}])(?<!\d[.\u3002\uFF0E\uFF61](?=\d))", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DomainDot();

    [GeneratedRegex(@"(?<![\p{L}\p{M}\p{N}])@", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StandaloneAt();
}
