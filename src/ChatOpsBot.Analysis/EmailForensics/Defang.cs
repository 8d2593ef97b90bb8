using System.Text;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// Makes indicators from hostile mail safe to paste into chat: not clickable, not auto-linked, still readable.
/// Output is stable: defanging an already defanged value returns it unchanged.
/// </summary>
public static class Defang
{
    // Character sets as static arrays: an array literal argument (params char[] or a collection expression) allocates a
    // new array, filled from its metadata, at every call.
    private static readonly char[] s_authorityEnds = ['/', '?', '#', '\\'];

    /// <summary>
    /// <c>https://evil.example/a</c> → <c>hxxps://evil[.]example/a</c>. Every dot of the host is bracketed and the
    /// http/https/ftp/ftps schemes become hxxp/hxxps/fxp/fxps wherever they appear (a rewritten URL carries its
    /// target in the query, which chat clients would auto-link as well).
    /// </summary>
    public static string Url(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string text = DefangSchemes(url);
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        int authorityStart;
        if (schemeEnd >= 0 && IsScheme(text.AsSpan(0, schemeEnd)))
        {
            authorityStart = schemeEnd + 3;
        }
        else if (schemeEnd < 0 && !text.Contains(':', StringComparison.Ordinal))
        {
            authorityStart = 0;
        }
        else
        {
            return text;
        }

        int authorityEnd = text.IndexOfAny(s_authorityEnds, authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = text.Length;
        }

        string authority = text[authorityStart..authorityEnd];
        int at = authority.LastIndexOf('@');
        string userInfo = at >= 0 ? authority[..(at + 1)] : string.Empty;
        string hostAndPort = authority[(at + 1)..];
        return string.Concat(text.AsSpan(0, authorityStart), userInfo, BracketDots(hostAndPort), text.AsSpan(authorityEnd));
    }

    /// <summary><c>evil.example</c> → <c>evil[.]example</c>.</summary>
    public static string Host(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return BracketDots(host);
    }

    /// <summary><c>1.2.3.4</c> → <c>1[.]2[.]3[.]4</c>; IPv6 colons become <c>[:]</c>.</summary>
    public static string Ip(string ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        return ip.Contains(':', StringComparison.Ordinal) ? Bracket(ip, ':') : BracketDots(ip);
    }

    private static string BracketDots(string value) => Bracket(value, '.');

    private static string Bracket(string value, char separator)
    {
        if (!value.Contains(separator, StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool alreadyBracketed = i > 0 && value[i - 1] == '[' && i + 1 < value.Length && value[i + 1] == ']';
            if (c == separator && !alreadyBracketed)
            {
                builder.Append('[').Append(separator).Append(']');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsScheme(ReadOnlySpan<char> candidate)
    {
        if (candidate.IsEmpty || !char.IsAsciiLetter(candidate[0]))
        {
            return false;
        }

        foreach (char c in candidate)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string DefangSchemes(string url)
    {
        if (url.IndexOf("tp", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return url;
        }

        var builder = new StringBuilder(url.Length);
        int i = 0;
        while (i < url.Length)
        {
            if (TryMatchScheme(url, i, out string replacement, out int consumed))
            {
                builder.Append(replacement);
                i += consumed;
            }
            else
            {
                builder.Append(url[i]);
                i++;
            }
        }

        return builder.ToString();
    }

    // Matches http/https/ftp/ftps followed by ':' (the start of "://", ":/" or ":\\", all of which browsers accept),
    // case-insensitively, when not preceded by a letter (so "xhttp:" is left alone).
    private static bool TryMatchScheme(string text, int index, out string replacement, out int consumed)
    {
        replacement = string.Empty;
        consumed = 0;
        if (index > 0 && char.IsAsciiLetter(text[index - 1]))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text.AsSpan(index);
        foreach ((string scheme, string defanged) in s_schemes)
        {
            if (rest.Length > scheme.Length
                && rest.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
                && rest[scheme.Length] == ':')
            {
                replacement = defanged;
                consumed = scheme.Length;
                return true;
            }
        }

        return false;
    }

    // Longest first so "https" is not read as "http" followed by "s".
    private static readonly (string Scheme, string Defanged)[] s_schemes =
    [
        ("https", "hxxps"),
        ("http", "hxxp"),
        ("ftps", "fxps"),
        ("ftp", "fxp"),
    ];
}
