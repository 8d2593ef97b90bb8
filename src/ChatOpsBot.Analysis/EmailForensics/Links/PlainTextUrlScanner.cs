using System.Buffers;
using System.Text;

namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>
/// Finds URLs in free text with a linear hand-written scanner (no regular expressions, so no backtracking on
/// hostile input): http/https/ftp/ftps schemes, "www." starts, defanged forms (hxxp, fxp, [.], (.), {.}, [:], [://]),
/// angle-bracketed URLs, and trailing punctuation trimmed the way mail clients do (a closing bracket is kept only
/// when it balances an opening one inside the URL).
/// </summary>
internal static class PlainTextUrlScanner
{
    private static readonly SearchValues<char> s_startChars = SearchValues.Create("hHfFwW");

    private static readonly string[] s_schemes = ["https", "http", "hxxps", "hxxp", "ftps", "ftp", "fxps", "fxp"];

    private static readonly string[] s_separators = ["://", "[:]//", "[://]", "(:)//"];

    /// <summary>What each of <see cref="s_schemes"/> becomes in front of the URL body: the scheme lower-cased, then "://".</summary>
    private static readonly string[] s_prefixes = s_schemes.Select(scheme => scheme.ToLowerInvariant() + "://").ToArray();

    /// <summary>Yields raw candidates (refanged, "http://" added to "www." starts) in order of appearance.</summary>
    public static IEnumerable<string> Scan(string text, int maxUrlChars)
    {
        var candidates = new List<string>();
        Scan(text, maxUrlChars, candidates, static (list, candidate) =>
        {
            list.Add(candidate);
            return true;
        });
        return candidates;
    }

    /// <summary>
    /// Hands each raw candidate (as <see cref="Scan(string, int)"/> yields them) to <paramref name="accept"/>, in order of
    /// appearance, until it returns false: no enumerator per text, which matters for HTML's many short text runs.
    /// </summary>
    public static void Scan<TState>(ReadOnlySpan<char> text, int maxUrlChars, TState state, Func<TState, string, bool> accept)
    {
        // Every candidate has a scheme separator, each of which holds a ':', or starts with "www" (either case): text with
        // neither (most of HTML's short text runs) has none, and is not walked from one 'h', 'f' or 'w' to the next.
        if (text.Contains(':') || text.Contains("www", StringComparison.OrdinalIgnoreCase))
        {
            ScanCandidates(text, maxUrlChars, state, accept);
        }
    }

    /// <summary>As <see cref="Scan{TState}"/>, trying every start character (the tests hold the pre-check to this).</summary>
    internal static void ScanCandidates<TState>(ReadOnlySpan<char> text, int maxUrlChars, TState state, Func<TState, string, bool> accept)
    {
        int position = 0;
        while (position < text.Length)
        {
            int offset = text[position..].IndexOfAny(s_startChars);
            if (offset < 0)
            {
                return;
            }

            int start = position + offset;
            if (TryMatchStart(text, start, out int bodyStart, out string prefix))
            {
                int end = ScanEnd(text, bodyStart, maxUrlChars);
                end = TrimTrailing(text, start, end);
                if (end > bodyStart)
                {
                    // Refanging can expose new trailing punctuation ("evil[.]" becomes "evil."), so trim once more.
                    string refanged = Refang(string.Concat(prefix, text[bodyStart..end]));
                    int refangedEnd = TrimTrailing(refanged, 0, refanged.Length);
                    if (refangedEnd > prefix.Length && !accept(state, refangedEnd == refanged.Length ? refanged : refanged[..refangedEnd]))
                    {
                        return;
                    }

                    position = end;
                    continue;
                }
            }

            position = start + 1;
        }
    }

    private static bool TryMatchStart(ReadOnlySpan<char> text, int start, out int bodyStart, out string prefix)
    {
        bodyStart = start;
        prefix = string.Empty;
        if (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or '-' or '_' or '@' or '/'))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text[start..];

        // Every scheme starts with 'h' or 'f', and no other start character can begin one: the others are only tried
        // for "www.", and a scheme only against a text starting with its own first letter (ASCII letters, so | 0x20
        // lower-cases them).
        char first = (char)(rest[0] | 0x20);
        if (first is 'h' or 'f')
        {
            for (int k = 0; k < s_schemes.Length; k++)
            {
                string scheme = s_schemes[k];
                if (scheme[0] != first || !rest.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                ReadOnlySpan<char> afterScheme = rest[scheme.Length..];
                foreach (string separator in s_separators)
                {
                    if (afterScheme.StartsWith(separator, StringComparison.Ordinal))
                    {
                        bodyStart = start + scheme.Length + separator.Length;
                        prefix = s_prefixes[k];
                        return bodyStart < text.Length && IsUrlChar(text[bodyStart]);
                    }
                }
            }
        }

        if (rest.StartsWith("www.", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("www[.]", StringComparison.OrdinalIgnoreCase))
        {
            bodyStart = start;
            prefix = "http://";
            int afterDot = start + (rest[3] == '.' ? 4 : 6);
            return afterDot < text.Length && char.IsLetterOrDigit(text[afterDot]);
        }

        return false;
    }

    private static int ScanEnd(ReadOnlySpan<char> text, int bodyStart, int maxUrlChars)
    {
        int limit = (int)Math.Min(text.Length, (long)bodyStart + maxUrlChars);
        int i = bodyStart;
        while (i < limit && IsUrlChar(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsUrlChar(char c) =>
        !char.IsWhiteSpace(c) && !char.IsControl(c) && c is not ('<' or '>' or '"' or '`' or '\u200B' or '\uFEFF');

    private static int TrimTrailing(ReadOnlySpan<char> text, int start, int end)
    {
        while (end > start)
        {
            char last = text[end - 1];
            if (last is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '*')
            {
                end--;
            }
            else if (last is ')' or ']' or '}' && !IsBalanced(text[start..end], last))
            {
                end--;
            }
            else
            {
                break;
            }
        }

        return end;
    }

    private static bool IsBalanced(ReadOnlySpan<char> candidate, char close)
    {
        char open = close switch
        {
            ')' => '(',
            ']' => '[',
            _ => '{',
        };
        int depth = 0;
        foreach (char c in candidate)
        {
            if (c == open)
            {
                depth++;
            }
            else if (c == close)
            {
                depth--;
            }
        }

        return depth >= 0;
    }

    /// <summary>Undoes the common defanging conventions so the URL can be analysed (and defanged again on output).</summary>
    public static string Refang(string candidate)
    {
        if (candidate.AsSpan().IndexOfAny("[({xX") < 0)
        {
            return candidate;
        }

        var builder = new StringBuilder(candidate);
        builder.Replace("[.]", ".").Replace("(.)", ".").Replace("{.}", ".").Replace("[dot]", ".").Replace("(dot)", ".")
            .Replace("[:]", ":").Replace("[/]", "/");
        string result = builder.ToString();
        foreach ((string defanged, string scheme) in s_refangedSchemes)
        {
            if (result.StartsWith(defanged, StringComparison.OrdinalIgnoreCase))
            {
                return scheme + result[defanged.Length..];
            }
        }

        return result;
    }

    private static readonly (string Defanged, string Scheme)[] s_refangedSchemes =
    [
        ("hxxps://", "https://"),
        ("hxxp://", "http://"),
        ("fxps://", "ftps://"),
        ("fxp://", "ftp://"),
    ];
}
