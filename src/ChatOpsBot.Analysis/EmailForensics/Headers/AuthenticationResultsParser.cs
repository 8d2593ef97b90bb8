namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>One <c>method=result</c> statement of an Authentication-Results header (RFC 8601 resinfo).</summary>
/// <param name="Properties">
/// <c>ptype.property</c> values such as <c>smtp.mailfrom</c>, <c>header.d</c>, <c>header.i</c>, <c>header.from</c>,
/// plus Microsoft's bare <c>action</c>; keys are lower case.
/// </param>
public sealed record AuthMethodResult(string Method, string Result, string? Reason, IReadOnlyDictionary<string, string> Properties, string? Comment);

/// <summary>One parsed Authentication-Results (or ARC-Authentication-Results) header.</summary>
/// <param name="Position">Index of the header in the message's header list (0 = topmost).</param>
/// <param name="AuthservId">Null when the writer omitted it, as Exchange Online does.</param>
public sealed record AuthResultsHeader(string HeaderName, int Position, string? AuthservId, IReadOnlyList<AuthMethodResult> Results, string Raw);

/// <summary>
/// Tolerant RFC 8601 reader: comments anywhere, quoted reasons, missing authserv-id (Exchange Online starts
/// directly with <c>spf=...</c>), <c>i=N;</c> instance tags of ARC, and <c>compauth</c>. Never throws on content.
/// </summary>
public static class AuthenticationResultsParser
{
    private const int MaxHeaderLength = 16 * 1024;

    /// <summary>Keys and results up to this length are lower-cased on the stack; longer ones (hostile) as a string.</summary>
    private const int MaxStackLowered = 64;

    /// <summary>
    /// The method names, results and property keys real headers use, lower-case: a key or result read from a header is
    /// taken from here when it is one of them, rather than made as a new string for every header.
    /// </summary>
    private static readonly HashSet<string> s_knownWords = new(StringComparer.Ordinal)
    {
        "spf", "dkim", "dmarc", "arc", "compauth", "bimi", "iprev", "auth", "dkim-atps", "sender-id", "domainkeys", "x-tls",
        "pass", "fail", "softfail", "hardfail", "neutral", "none", "temperror", "permerror", "policy", "bestguesspass",
        "reason", "action", "smtp.mailfrom", "smtp.helo", "smtp.auth", "smtp.remote-ip", "smtp.rcpttodomain",
        "header.d", "header.i", "header.s", "header.b", "header.a", "header.from", "header.selector", "policy.dmarc",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_knownWordsBySpan =
        s_knownWords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static AuthResultsHeader Parse(string headerName, int position, string value)
    {
        ArgumentNullException.ThrowIfNull(headerName);
        ArgumentNullException.ThrowIfNull(value);
        string raw = ReceivedParser.Unfold(value.Length > MaxHeaderLength ? value[..MaxHeaderLength] : value);

        string? authservId = null;
        var results = new List<AuthMethodResult>();
        var tokens = new List<Token>();
        int next = 0;
        for (int segment = 0; next <= raw.Length; segment++)
        {
            string? comment = ReadSegment(raw, ref next, tokens);
            MergeSpacedEquals(raw, tokens);
            if (tokens.Count == 0)
            {
                continue;
            }

            // ARC-Authentication-Results begins with "i=1;" before the authserv-id.
            if (segment == 0 && tokens.Count == 1 && tokens[0].Text(raw).StartsWith("i=", StringComparison.OrdinalIgnoreCase)
                && headerName.StartsWith("ARC-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            int first = 0;
            if (authservId is null && results.Count == 0 && !tokens[0].Text(raw).Contains('='))
            {
                authservId = Lower(tokens[0].Text(raw));
                first = 1;

                // An optional numeric version follows the authserv-id; a resinfo may share the segment in sloppy writers.
                if (tokens.Count > 1 && !tokens[1].Text(raw).ContainsAnyExceptInRange('0', '9'))
                {
                    first = 2;
                }

                if (first == tokens.Count)
                {
                    continue;
                }
            }

            ParseStatements(raw, tokens, first, comment, results);
        }

        return new AuthResultsHeader(headerName, position, authservId, results, raw);
    }

    /// <summary>
    /// A token of a segment as its place in the unfolded text; a token joined from <c>key = value</c> written with
    /// spaces (rare) holds its text.
    /// </summary>
    private readonly record struct Token(int Start, int End, string? Joined)
    {
        public ReadOnlySpan<char> Text(string raw) => Joined is null ? raw.AsSpan(Start, End - Start) : Joined.AsSpan();
    }

    /// <summary>
    /// Reads the segment that starts at <paramref name="next"/> (up to a ';' outside comments and quotes) into
    /// <paramref name="tokens"/>, moves <paramref name="next"/> past it (beyond the end after the last one) and returns
    /// its first comment, trimmed. Tokens are split at white space outside quotes and at comments, which count as a space;
    /// quotes stay in the token. A ';' or quote inside a comment is comment text, and an unclosed comment runs to the end.
    /// </summary>
    private static string? ReadSegment(string raw, ref int next, List<Token> tokens)
    {
        tokens.Clear();
        string? firstComment = null;
        int depth = 0;
        bool quoted = false;
        int tokenStart = -1;
        int commentStart = 0;
        int i = next;
        for (; i < raw.Length; i++)
        {
            char c = raw[i];
            if (depth == 0 && c == '"')
            {
                quoted = !quoted;
                tokenStart = tokenStart < 0 ? i : tokenStart;
            }
            else if (!quoted && c == '(')
            {
                if (depth++ == 0)
                {
                    EndToken(i);
                    commentStart = i + 1;
                }
            }
            else if (!quoted && c == ')' && depth > 0)
            {
                if (--depth == 0)
                {
                    firstComment ??= raw.AsSpan(commentStart, i - commentStart).Trim().ToString();
                }
            }
            else if (depth > 0)
            {
                continue;
            }
            else if (!quoted && c == ';')
            {
                EndToken(i);
                next = i + 1;
                return firstComment;
            }
            else if (!quoted && char.IsWhiteSpace(c))
            {
                EndToken(i);
            }
            else
            {
                tokenStart = tokenStart < 0 ? i : tokenStart;
            }
        }

        EndToken(i);
        next = raw.Length + 1;
        return firstComment;

        void EndToken(int end)
        {
            if (tokenStart >= 0)
            {
                tokens.Add(new Token(tokenStart, end, null));
                tokenStart = -1;
            }
        }
    }

    /// <summary>Adds the method results of the statements in <paramref name="tokens"/> from <paramref name="first"/> on, in order.</summary>
    /// <remarks>
    /// A segment can hold several statements when a writer forgets the ';' (Exchange: <c>dmarc=none action=none
    /// header.from=x;compauth=pass reason=100</c> is fine, but some append <c>dkim=...</c> after a space).
    /// </remarks>
    private static void ParseStatements(string raw, List<Token> tokens, int first, string? comment, List<AuthMethodResult> results)
    {
        string? method = null;
        string? result = null;
        string? reason = null;
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int t = first; t < tokens.Count; t++)
        {
            ReadOnlySpan<char> token = tokens[t].Text(raw);
            int eq = token.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            string key = Lower(token[..eq]);
            ReadOnlySpan<char> value = Unquote(token[(eq + 1)..]);
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
                result = Lower(value);
            }
            else if (key == "reason")
            {
                reason = value.ToString();
            }
            else if (!properties.ContainsKey(key))
            {
                properties.Add(key, value.ToString());
            }
        }

        if (method is not null)
        {
            results.Add(new AuthMethodResult(method, result!, reason, properties, comment));
        }
    }

    private static bool IsKnownMethod(string key) =>
        key is "spf" or "dkim" or "dmarc" or "arc" or "compauth" or "bimi" or "iprev" or "auth" or "dkim-atps" or "sender-id" or "domainkeys" or "x-tls";

    /// <summary><paramref name="text"/> lower-cased as <see cref="string.ToLowerInvariant()"/> does; a known word is not copied.</summary>
    private static string Lower(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxStackLowered)
        {
            return text.ToString().ToLowerInvariant();
        }

        Span<char> lowered = stackalloc char[MaxStackLowered];
        lowered = lowered[..text.ToLowerInvariant(lowered)];
        return s_knownWordsBySpan.TryGetValue(lowered, out string? known) ? known : lowered.ToString();
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value.TrimEnd(',');

    /// <summary>Joins <c>spf = pass</c> written with spaces around '=' back into one token.</summary>
    private static void MergeSpacedEquals(string raw, List<Token> tokens)
    {
        for (int i = tokens.Count - 1; i >= 0; i--)
        {
            ReadOnlySpan<char> token = tokens[i].Text(raw);
            if (token is "=" && i > 0 && i + 1 < tokens.Count)
            {
                tokens[i - 1] = new Token(0, 0, string.Concat(tokens[i - 1].Text(raw), "=", tokens[i + 1].Text(raw)));
                tokens.RemoveRange(i, 2);
            }
            else if (token.EndsWith('=') && token.Length > 1 && i + 1 < tokens.Count && !tokens[i + 1].Text(raw).Contains('='))
            {
                tokens[i] = new Token(0, 0, string.Concat(token, tokens[i + 1].Text(raw)));
                tokens.RemoveAt(i + 1);
            }
        }
    }
}
