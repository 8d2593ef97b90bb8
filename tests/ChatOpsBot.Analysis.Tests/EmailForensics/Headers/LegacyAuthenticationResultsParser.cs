using System.Text;
using ChatOpsBot.Analysis.EmailForensics.Headers;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

/// <summary>
/// The Authentication-Results reader as it was before it read segments and tokens as positions in the unfolded text
/// (a StringBuilder per segment and token, a string per token, key and value): the oracle the current
/// <see cref="AuthenticationResultsParser"/> is held to. Kept verbatim but for its name.
/// </summary>
internal static class LegacyAuthenticationResultsParser
{
    private const int MaxHeaderLength = 16 * 1024;

    public static AuthResultsHeader Parse(string headerName, int position, string value)
    {
        ArgumentNullException.ThrowIfNull(headerName);
        ArgumentNullException.ThrowIfNull(value);
        string raw = ReceivedParser.Unfold(value.Length > MaxHeaderLength ? value[..MaxHeaderLength] : value);
        List<(string Text, string? Comment)> segments = SplitTopLevel(raw);

        string? authservId = null;
        var results = new List<AuthMethodResult>();
        for (int i = 0; i < segments.Count; i++)
        {
            (string text, string? comment) = segments[i];
            List<string> tokens = Tokens(text);
            if (tokens.Count == 0)
            {
                continue;
            }

            // ARC-Authentication-Results begins with "i=1;" before the authserv-id.
            if (i == 0 && tokens.Count == 1 && tokens[0].StartsWith("i=", StringComparison.OrdinalIgnoreCase)
                && headerName.StartsWith("ARC-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (authservId is null && results.Count == 0 && !tokens[0].Contains('=', StringComparison.Ordinal))
            {
                authservId = tokens[0].ToLowerInvariant();
                tokens.RemoveAt(0);
                // An optional numeric version follows the authserv-id; a resinfo may share the segment in sloppy writers.
                if (tokens.Count > 0 && tokens[0].All(char.IsAsciiDigit))
                {
                    tokens.RemoveAt(0);
                }

                if (tokens.Count == 0)
                {
                    continue;
                }
            }

            ParseStatements(tokens, comment, results);
        }

        return new AuthResultsHeader(headerName, position, authservId, results, raw);
    }

    /// <summary>
    /// A segment can hold several statements when a writer forgets the ';' (Exchange: <c>dmarc=none action=none
    /// header.from=x;compauth=pass reason=100</c> is fine, but some append <c>dkim=...</c> after a space).
    /// </summary>
    /// <summary>Adds the method results of one statement list to <paramref name="results"/>, in order.</summary>
    private static void ParseStatements(List<string> tokens, string? comment, List<AuthMethodResult> results)
    {
        string? method = null;
        string? result = null;
        string? reason = null;
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string token in tokens)
        {
            int eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            string key = token[..eq].ToLowerInvariant();
            string value = Unquote(token[(eq + 1)..]);
            bool isProperty = key.Contains('.', StringComparison.Ordinal) || key is "reason" or "action";
            if (!isProperty && method is not null && IsKnownMethod(key))
            {
                results.Add(new AuthMethodResult(method, result!, reason, properties, comment));
                properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                reason = null;
                method = null;
            }

            if (method is null && !isProperty)
            {
                int slash = key.IndexOf('/', StringComparison.Ordinal);
                method = slash > 0 ? key[..slash] : key;
                result = value.ToLowerInvariant();
            }
            else if (key == "reason")
            {
                reason = value;
            }
            else
            {
                properties.TryAdd(key, value);
            }
        }

        if (method is not null)
        {
            results.Add(new AuthMethodResult(method, result!, reason, properties, comment));
        }
    }

    private static bool IsKnownMethod(string key) =>
        key is "spf" or "dkim" or "dmarc" or "arc" or "compauth" or "bimi" or "iprev" or "auth" or "dkim-atps" or "sender-id" or "domainkeys" or "x-tls";

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value.TrimEnd(',');

    /// <summary>Splits on ';' outside comments and quotes; the first comment of each segment is kept.</summary>
    private static List<(string Text, string? Comment)> SplitTopLevel(string raw)
    {
        var segments = new List<(string, string?)>();
        var text = new StringBuilder();
        var comment = new StringBuilder();
        string? firstComment = null;
        int depth = 0;
        bool quoted = false;
        foreach (char c in raw)
        {
            if (depth == 0 && c == '"')
            {
                quoted = !quoted;
                text.Append(c);
            }
            else if (!quoted && c == '(')
            {
                if (depth++ > 0)
                {
                    comment.Append(c);
                }
                else
                {
                    text.Append(' ');
                }
            }
            else if (!quoted && c == ')' && depth > 0)
            {
                if (--depth == 0)
                {
                    firstComment ??= comment.ToString().Trim();
                    comment.Clear();
                }
                else
                {
                    comment.Append(c);
                }
            }
            else if (depth > 0)
            {
                comment.Append(c);
            }
            else if (!quoted && c == ';')
            {
                segments.Add((text.ToString(), firstComment));
                text.Clear();
                firstComment = null;
            }
            else
            {
                text.Append(c);
            }
        }

        segments.Add((text.ToString(), firstComment));
        return segments;
    }

    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        foreach (char c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                current.Append(c);
            }
            else if (!quoted && char.IsWhiteSpace(c))
            {
                Flush();
            }
            else
            {
                current.Append(c);
            }
        }

        Flush();
        MergeSpacedEquals(tokens);
        return tokens;

        void Flush()
        {
            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
    }

    /// <summary>Joins <c>spf = pass</c> written with spaces around '=' back into one token.</summary>
    private static void MergeSpacedEquals(List<string> tokens)
    {
        for (int i = tokens.Count - 1; i >= 0; i--)
        {
            if (tokens[i] == "=" && i > 0 && i + 1 < tokens.Count)
            {
                tokens[i - 1] = $"{tokens[i - 1]}={tokens[i + 1]}";
                tokens.RemoveRange(i, 2);
            }
            else if (tokens[i].EndsWith('=') && tokens[i].Length > 1 && i + 1 < tokens.Count && !tokens[i + 1].Contains('=', StringComparison.Ordinal))
            {
                tokens[i] += tokens[i + 1];
                tokens.RemoveAt(i + 1);
            }
        }
    }
}
