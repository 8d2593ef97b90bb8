using System.Buffers;
using System.Globalization;
using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// Lenient address-list parsing: groups, quoted and unquoted display names (also with dots and commas), comments as
/// names (<c>a@b (Name)</c>), missing angle brackets, obsolete routes. Encoded words are decoded in names only.
/// </summary>
internal static class AddressParser
{
    private static readonly IdnMapping s_idn = new();

    // What Scan acts on: quotes and comments (skipped whole), angle brackets, '@', and the list and group separators.
    private static readonly SearchValues<char> s_scanStops = SearchValues.Create("\"(<>@,;:");

    // Display names up to this length are unquoted on the stack; longer ones in a pooled array.
    private const int StackPhraseChars = 256;

    // The pieces of the list being read; a group's members are read only after the pieces before it were flushed,
    // so one list per thread serves every level.
    [ThreadStatic]
    private static List<Range>? t_items;

    /// <summary>Appends the addresses in <paramref name="text"/> to <paramref name="output"/>.</summary>
    public static void Parse(string text, List<InternetAddress> output, List<MimeDefect> defects, long offset) =>
        Parse(text.AsSpan(), output, defects, offset);

    /// <inheritdoc cref="Parse(string, List{InternetAddress}, List{MimeDefect}, long)"/>
    public static void Parse(ReadOnlySpan<char> text, List<InternetAddress> output, List<MimeDefect> defects, long offset)
    {
        int i = 0;
        List<Range> items = t_items ??= new List<Range>(8);
        items.Clear();
        try
        {
            ParseList(text, ref i, inGroup: false, items, output, defects, offset);
        }
        finally
        {
            items.Clear();
            if (items.Capacity > 1024)
            {
                t_items = null;
            }
        }
    }

    private static void ParseList(ReadOnlySpan<char> s, ref int i, bool inGroup, List<Range> items, List<InternetAddress> output, List<MimeDefect> defects, long offset)
    {
        while (i < s.Length)
        {
            int start = i;
            char stop = Scan(s, ref i, inGroup);
            if (stop == ':')
            {
                FlushItems(s, items, output, defects, offset);
                string name = DecodePhrase(s[start..i]) ?? string.Empty;
                i++;
                List<InternetAddress> members = [];
                ParseList(s, ref i, inGroup: true, items, members, defects, offset);
                if (i < s.Length && s[i] == ';')
                {
                    i++;
                }

                output.Add(new GroupAddress(name, new InternetAddressList(members)));
                continue;
            }

            items.Add(start..i);
            if (stop == ';')
            {
                break;
            }

            if (stop == ',')
            {
                i++;
            }
        }

        FlushItems(s, items, output, defects, offset);
    }

    /// <summary>Advances to the next top-level ',' (or ';' in a group, or ':' starting a group); returns it or '\0'.</summary>
    private static char Scan(ReadOnlySpan<char> s, ref int i, bool inGroup)
    {
        bool angle = false;
        bool sawAt = false;
        for (; i < s.Length; i++)
        {
            // Every other character changes nothing: the search jumps to the next one that may.
            int special = s[i..].IndexOfAny(s_scanStops);
            if (special < 0)
            {
                i = s.Length;
                break;
            }

            i += special;
            char c = s[i];
            if (c is '"' or '(')
            {
                i = SkipQuotedOrComment(s, i);
            }
            else if (angle)
            {
                angle = c != '>';
            }
            else if (c == '<')
            {
                angle = true;
            }
            else if (c == '@')
            {
                sawAt = true;
            }
            else if (c == ',' || (inGroup && c == ';'))
            {
                return c;
            }
            else if (c == ':' && !inGroup && !sawAt)
            {
                return c;
            }
        }

        return '\0';
    }

    /// <summary>
    /// The index of the '"' or ')' closing the quoted string or (nested) comment that opens at <paramref name="start"/>;
    /// the last index when it is never closed (the rest of the text belongs to it). A quoted pair (<c>\"</c>,
    /// <c>\)</c>) closes neither (RFC 5322 §3.2.1). Every scanner here shares this, so none splits an address
    /// differently from another.
    /// </summary>
    private static int SkipQuotedOrComment(ReadOnlySpan<char> s, int start)
    {
        bool quoted = s[start] == '"';
        int depth = 0;
        for (int i = start; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\')
            {
                i++;
            }
            else if (quoted)
            {
                if (c == '"' && i > start)
                {
                    return i;
                }
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return i;
            }
        }

        return s.Length - 1;
    }

    private static void FlushItems(ReadOnlySpan<char> s, List<Range> items, List<InternetAddress> output, List<MimeDefect> defects, long offset)
    {
        // "Doe, John <j@x>" splits at the unquoted comma; a piece without any address joins the next piece's name.
        // Pieces are consecutive in the text with one comma between them, so joining two is widening the range.
        for (int k = 0; k < items.Count; k++)
        {
            int start = items[k].Start.Value;
            ReadOnlySpan<char> item = s[items[k]];
            while (k + 1 < items.Count && !item.IsWhiteSpace() && !item.Contains('@')
                && !item.Contains('<') && s[items[k + 1]] is var following && following.Contains('<')
                && following.TrimStart() is { Length: > 0 } next && next[0] != '<')
            {
                item = s[start..items[k + 1].End.Value];
                k++;
            }

            if (ParseMailbox(item, defects, offset) is { } mailbox)
            {
                output.Add(mailbox);
            }
        }

        items.Clear();
    }

    private static MailboxAddress? ParseMailbox(ReadOnlySpan<char> item, List<MimeDefect> defects, long offset)
    {
        if (item.IsWhiteSpace())
        {
            return null;
        }

        int lt = FindTopLevel(item, '<');
        string? name;
        ReadOnlySpan<char> address;
        if (lt >= 0)
        {
            name = DecodePhrase(item[..lt]);
            int gt = item[(lt + 1)..].IndexOf('>');
            if (gt < 0)
            {
                defects.Add(new MimeDefect(MimeDefectKind.InvalidAddress, $"address '{ParameterParser.Shorten(item.Trim())}' has no closing '>'", offset));
                gt = item.Length;
            }
            else
            {
                gt += lt + 1;
            }

            address = item[(lt + 1)..gt];
        }
        else
        {
            address = RemoveComments(item);
            name = LastComment(item, out Range comment) ? DecodePhrase(item[comment]) : null;
        }

        string? route = null;
        address = address.Trim();
        if (address.StartsWith('@'))
        {
            int colon = address.IndexOf(':');
            if (colon > 0)
            {
                route = new string(address[..colon]);
                address = address[(colon + 1)..].Trim();
            }
        }

        int at = address.LastIndexOf('@');
        if (at < 0)
        {
            // "From: Whomever" is a name without an address; keep the text so nothing is lost.
            defects.Add(new MimeDefect(MimeDefectKind.InvalidAddress, $"'{ParameterParser.Shorten(item.Trim())}' has no '@'", offset));
            ReadOnlySpan<char> text = lt >= 0 ? address : item;
            return lt >= 0
                ? new MailboxAddress(name, RemoveWhitespace(text), null, null, route)
                : new MailboxAddress(DecodePhrase(text), string.Empty, null, null, route);
        }

        string local = RemoveWhitespace(address[..at]);
        string domain = RemoveWhitespace(address[(at + 1)..]).TrimEnd('.');
        if (local.Contains("=?", StringComparison.Ordinal) && local.Contains("?=", StringComparison.Ordinal))
        {
            defects.Add(new MimeDefect(MimeDefectKind.EncodedWordInAddress, $"address '{ParameterParser.Shorten(address)}' contains an encoded word; left undecoded", offset));
        }

        if (local.Contains('@', StringComparison.Ordinal) || local.Length == 0 || domain.Length == 0)
        {
            defects.Add(new MimeDefect(MimeDefectKind.InvalidAddress, $"address '{ParameterParser.Shorten(address)}' is malformed", offset));
        }

        (string unicodeDomain, string? asciiDomain) = NormalizeDomain(domain);
        return new MailboxAddress(name, local, unicodeDomain, asciiDomain, route);
    }

    private static (string Unicode, string? Ascii) NormalizeDomain(string domain)
    {
        if (domain.StartsWith('['))
        {
            return (domain, domain);
        }

        // IdnMapping throws on invalid names; plain ASCII names without an IDN label need no mapping at all. An
        // "xn--" label in any case contains "--", which most names lack: that ordinal search is the cheaper one.
        if (System.Text.Ascii.IsValid(domain) && (!domain.Contains("--", StringComparison.Ordinal) || !domain.Contains("xn--", StringComparison.OrdinalIgnoreCase)))
        {
            return (domain, domain.Length > 0 ? domain : null);
        }

        string? ascii = null;
        string unicode = domain;
        try
        {
            ascii = s_idn.GetAscii(domain);
        }
        catch (ArgumentException)
        {
        }

        if (ascii is not null && ascii.Contains("xn--", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                unicode = s_idn.GetUnicode(ascii);
            }
            catch (ArgumentException)
            {
            }
        }

        return (unicode, ascii);
    }

    private static int FindTopLevel(ReadOnlySpan<char> s, char target)
    {
        for (int i = 0; i < s.Length; i++)
        {
            int special = s[i..].IndexOfAny('"', '(', target);
            if (special < 0)
            {
                return -1;
            }

            i += special;
            char c = s[i];
            if (c is '"' or '(')
            {
                i = SkipQuotedOrComment(s, i);
            }
            else if (c == target)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A display name: quotes removed (escapes resolved), comments dropped, whitespace collapsed, encoded words decoded.</summary>
    internal static string? DecodePhrase(string phrase) => DecodePhrase(phrase.AsSpan());

    /// <inheritdoc cref="DecodePhrase(string)"/>
    internal static string? DecodePhrase(ReadOnlySpan<char> phrase)
    {
        if (phrase.IndexOfAny("\"()") < 0)
        {
            return DisplayName(phrase);
        }

        // Unquoted into a buffer: the text is at most as long as the phrase.
        char[]? rented = null;
        Span<char> buffer = phrase.Length <= StackPhraseChars ? stackalloc char[StackPhraseChars] : (rented = ArrayPool<char>.Shared.Rent(phrase.Length));
        try
        {
            int length = 0;
            bool quoted = false;
            for (int i = 0; i < phrase.Length; i++)
            {
                char c = phrase[i];
                if (quoted)
                {
                    if (c == '\\' && i + 1 < phrase.Length)
                    {
                        buffer[length++] = phrase[++i];
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        buffer[length++] = c;
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == '(')
                {
                    i = SkipQuotedOrComment(phrase, i);
                }
                else if (c != ')')
                {
                    buffer[length++] = c;
                }
            }

            return DisplayName(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>
    /// The name in unquoted phrase text: white space collapsed, encoded words decoded, trimmed; null when empty.
    /// Collapsing drops white space at both ends, so trimming first changes nothing, and a plain name (the usual
    /// <c>John Doe </c> before <c>&lt;</c>, its space included) is then copied once instead of rebuilt.
    /// </summary>
    private static string? DisplayName(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> trimmed = text.Trim();
        if (!NeedsCollapsing(trimmed) && !trimmed.Contains("=?", StringComparison.Ordinal))
        {
            return trimmed.IsEmpty ? null : new string(trimmed);
        }

        string decoded = Rfc2047.Decode(CollapseWhitespace(new string(trimmed)), out _).Trim();
        return decoded.Length == 0 ? null : decoded;
    }

    /// <summary>Finds the last (outermost) comment's text, inside its parentheses.</summary>
    private static bool LastComment(ReadOnlySpan<char> s, out Range comment)
    {
        comment = default;
        int close = s.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        int depth = 0;
        for (int i = close; i >= 0; i--)
        {
            if (s[i] == ')')
            {
                depth++;
            }
            else if (s[i] == '(' && --depth == 0)
            {
                comment = (i + 1)..close;
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<char> RemoveComments(ReadOnlySpan<char> s)
    {
        if (!s.Contains('('))
        {
            return s;
        }

        StringBuilder text = new(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '(')
            {
                i = SkipQuotedOrComment(s, i);
            }
            else if (c == '"')
            {
                int end = SkipQuotedOrComment(s, i);
                text.Append(s[i..(end + 1)]);
                i = end;
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static string RemoveWhitespace(ReadOnlySpan<char> s)
    {
        if (s.IndexOfAny(" \t\r\n") < 0)
        {
            return new string(s);
        }

        // Whitespace inside a quoted local part is significant.
        StringBuilder text = new(s.Length);
        bool quoted = false;
        foreach (char c in s)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (quoted || !char.IsWhiteSpace(c))
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static string CollapseWhitespace(string s)
    {
        if (!NeedsCollapsing(s))
        {
            return s;
        }

        StringBuilder text = new(s.Length);
        bool space = false;
        foreach (char c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && text.Length > 0)
            {
                text.Append(' ');
            }

            space = false;
            text.Append(c);
        }

        return text.ToString();
    }

    private static bool NeedsCollapsing(ReadOnlySpan<char> s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsWhiteSpace(s[i]) && (s[i] != ' ' || i == 0 || i == s.Length - 1 || s[i + 1] == ' '))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value with every CR and LF removed (folding undone), copied once and only when it has any.</summary>
    internal static string Unfold(string raw)
    {
        int lineBreak = raw.AsSpan().IndexOfAny('\r', '\n');
        if (lineBreak < 0)
        {
            return raw;
        }

        return string.Create(raw.Length - CountLineBreaks(raw.AsSpan(lineBreak)), (raw, lineBreak), static (destination, state) =>
        {
            (string source, int first) = state;
            source.AsSpan(0, first).CopyTo(destination);
            int length = first;
            foreach (char c in source.AsSpan(first))
            {
                if (c is not ('\r' or '\n'))
                {
                    destination[length++] = c;
                }
            }
        });
    }

    private static int CountLineBreaks(ReadOnlySpan<char> text) => text.Count('\r') + text.Count('\n');
}
