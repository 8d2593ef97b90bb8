using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>
/// Reads Received headers by RFC 5321 §4.4 clauses (<c>from by via with id for</c>) at the top level, treating
/// parenthesised comments as belonging to the clause before them. This copes with Postfix, Sendmail, qmail, Exim,
/// Exchange/Outlook.com (IPv6 in parentheses), Gmail (HTTPREST, IPv6 <c>by</c> hosts) and headers that are
/// redacted, truncated or missing the <c>;</c> before the date. It never throws on content.
/// </summary>
public static partial class ReceivedParser
{
    private const int MaxHeaderLength = 8 * 1024;

    private static readonly SearchValues<char> s_ipLiteralChars = SearchValues.Create("0123456789ABCDEFabcdef.:");

    /// <summary>Every character <see cref="char.IsWhiteSpace(char)"/> accepts.</summary>
    private static readonly SearchValues<char> s_whiteSpace = SearchValues.Create(WhiteSpaceChars(exceptSpace: false));

    /// <summary>As <see cref="s_whiteSpace"/> without the space, which alone is no run to collapse.</summary>
    private static readonly SearchValues<char> s_whiteSpaceButSpace = SearchValues.Create(WhiteSpaceChars(exceptSpace: true));

    /// <summary>Where a word of an unfolded value can end (its only white space is single spaces) or a literal start.</summary>
    private static readonly SearchValues<char> s_wordStops = SearchValues.Create(" ([");

    // Character sets as static arrays: an array literal argument (params char[] or a collection expression) allocates a
    // new array, filled from its metadata, at every call.
    private static readonly char[] s_brackets = ['[', ']'];

    private static readonly char[] s_wordEnds = [';', ','];

    private static readonly char[] s_recipientPunctuation = ['<', '>', ';'];

    /// <summary>The characters of a host name in a comment, after its first (a letter or digit).</summary>
    private static readonly SearchValues<char> s_hostNameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_");

    /// <summary>Parses the Received values in header order (newest first) into hops numbered oldest first.</summary>
    public static IReadOnlyList<ReceivedHop> ParseChain(IEnumerable<string> receivedValuesNewestFirst)
    {
        ArgumentNullException.ThrowIfNull(receivedValuesNewestFirst);
        List<HopFields> parsed = [];
        foreach (string value in receivedValuesNewestFirst)
        {
            ArgumentNullException.ThrowIfNull(value);
            parsed.Add(ParseFields(value));
        }

        // Each hop is built once, with its number and delay, instead of being copied per field found.
        var hops = new List<ReceivedHop>(parsed.Count);
        DateTimeOffset? previous = null;
        for (int i = parsed.Count - 1; i >= 0; i--)
        {
            HopFields fields = parsed[i];
            long? delay = null;
            if (fields.Timestamp is { } ts && previous is { } prev)
            {
                delay = (long)Math.Round((ts - prev).TotalSeconds);
            }

            hops.Add(fields.ToHop(hops.Count + 1, delay, delay < 0));
            previous = fields.Timestamp ?? previous;
        }

        return hops;
    }

    /// <summary>Parses one Received value (folded or not).</summary>
    public static ReceivedHop Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ParseFields(value).ToHop(0, null, false);
    }

    private readonly record struct HopFields(
        string Raw, DateTimeOffset? Timestamp, string? FromHost, string? FromIp, string? FromReverseDns,
        string? ByHost, string? ByIp, string? Protocol, string? Id, string? For)
    {
        public ReceivedHop ToHop(int hop, long? delaySeconds, bool clockSkew) => new()
        {
            Raw = Raw,
            Timestamp = Timestamp,
            FromHost = FromHost,
            FromIp = FromIp,
            FromReverseDns = FromReverseDns,
            ByHost = ByHost,
            ByIp = ByIp,
            Protocol = Protocol,
            Id = Id,
            For = For,
            Hop = hop,
            DelaySeconds = delaySeconds,
            ClockSkew = clockSkew,
        };
    }

    private static HopFields ParseFields(string value)
    {
        string text = Unfold(value.Length > MaxHeaderLength ? value[..MaxHeaderLength] : value);
        (int bodyLength, DateTimeOffset? timestamp) = SplitDate(text);
        ReadOnlySpan<char> body = text.AsSpan(0, bodyLength);

        // A token starts at the beginning, after a space, at a '(' or after a ')': that bounds how many there can be.
        int maxTokens = 1 + body.Count(' ') + body.Count('(') + body.Count(')');
        Span<Token> buffer = maxTokens <= MaxStackTokens ? stackalloc Token[MaxStackTokens] : new Token[maxTokens];
        ReadOnlySpan<Token> tokens = buffer[..Tokenize(body, buffer)];
        Clauses clauses = FindClauses(body, tokens);

        string? fromHost = null;
        string? fromIp = null;
        string? fromReverseDns = null;
        if (clauses[FromClause].IsPresent)
        {
            ReadOnlySpan<Token> from = clauses[FromClause].Of(tokens);
            fromHost = HostWord(body, from);
            fromIp = FindIp(body, from);
            fromReverseDns = ReverseDns(body, from);
            if (HeloName(body, from) is { } helo && (fromHost is null || IsIpLiteral(fromHost) || fromHost.Equals("unknown", StringComparison.OrdinalIgnoreCase)))
            {
                fromHost = helo;
            }
        }

        string? byHost = null;
        string? byIp = null;
        if (clauses[ByClause].IsPresent)
        {
            ReadOnlySpan<Token> by = clauses[ByClause].Of(tokens);
            byHost = HostWord(body, by);
            byIp = FindIp(body, by);
        }

        return new HopFields(
            text,
            timestamp,
            fromHost,
            fromIp,
            fromReverseDns,
            byHost,
            byIp,
            clauses[WithClause].IsPresent ? ProtocolWords(body, clauses[WithClause].Of(tokens)) : null,
            FirstWord(clauses[IdClause].Of(tokens)) is { } id ? id.Apply(body).TrimEnd(';').ToString() : null,
            FirstWord(clauses[ForClause].Of(tokens)) is { } recipient ? recipient.Apply(body).Trim(s_recipientPunctuation).ToString() : null);
    }

    private static Token? FirstWord(ReadOnlySpan<Token> clause)
    {
        foreach (Token token in clause)
        {
            if (!token.IsComment)
            {
                return token;
            }
        }

        return null;
    }

    /// <summary>Collapses every run of white space (as <c>\s+</c>) to one space and trims the ends.</summary>
    internal static string Unfold(string value)
    {
        // White space is what char.IsWhiteSpace says (as before); the runs between it are found by vectorised search.
        ReadOnlySpan<char> trimmed = value.AsSpan().Trim();
        if (trimmed.IndexOfAny(s_whiteSpaceButSpace) < 0 && trimmed.IndexOf("  ") < 0)
        {
            return trimmed.Length == value.Length ? value : trimmed.ToString();
        }

        // The collapsed text is never longer than the trimmed one: it is built in a pooled buffer and copied out once.
        char[] buffer = ArrayPool<char>.Shared.Rent(trimmed.Length);
        int length = 0;
        ReadOnlySpan<char> rest = trimmed;
        while (true)
        {
            int space = rest.IndexOfAny(s_whiteSpace);
            if (space < 0)
            {
                rest.CopyTo(buffer.AsSpan(length));
                length += rest.Length;
                break;
            }

            rest[..space].CopyTo(buffer.AsSpan(length));
            length += space;
            buffer[length++] = ' ';

            // The text is trimmed: every run of white space is followed by something else.
            rest = rest[(space + rest[space..].IndexOfAnyExcept(s_whiteSpace))..];
        }

        string unfolded = new(buffer, 0, length);
        buffer.AsSpan(0, length).Clear();
        ArrayPool<char>.Shared.Return(buffer);
        return unfolded;
    }

    /// <summary>The length of the text before the date, and the date.</summary>
    private static (int BodyLength, DateTimeOffset? Timestamp) SplitDate(string text)
    {
        int semicolon = LastTopLevelSemicolon(text);
        if (semicolon >= 0 && MailDate.TryParse(text.AsSpan(semicolon + 1)) is { } stamp)
        {
            return (semicolon, stamp);
        }

        // SendGrid and some appliances omit the ';': take a date-shaped tail (the first match, as Regex.Match gives it).
        Regex.ValueMatchEnumerator tails = TrailingDate().EnumerateMatches(text);
        if (tails.MoveNext() && MailDate.TryParse(text.AsSpan(tails.Current.Index, tails.Current.Length)) is { } tailStamp)
        {
            return (tails.Current.Index, tailStamp);
        }

        return (semicolon >= 0 ? semicolon : text.Length, null);
    }

    private static int LastTopLevelSemicolon(string text)
    {
        int depth = 0;
        int last = -1;
        for (int i = 0; i < text.Length; i++)
        {
            // Only parentheses and semicolons matter: jump to the next one.
            int next = text.AsSpan(i).IndexOfAny('(', ')', ';');
            if (next < 0)
            {
                break;
            }

            i += next;
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')' when depth > 0:
                    depth--;
                    break;
                case ';' when depth == 0:
                    last = i;
                    break;
                default:
                    break;
            }
        }

        return last;
    }

    /// <summary>
    /// A token as positions in the body: a word, or a comment's content (without its parentheses; an unclosed comment
    /// runs to the end of the body). Fields are cut from the body only when the report keeps them.
    /// </summary>
    private readonly record struct Token(int Start, int End, bool IsComment)
    {
        public ReadOnlySpan<char> Apply(ReadOnlySpan<char> body) => body[Start..End];
    }

    /// <summary>A clause as the indexes of its tokens: those after its keyword up to the keyword of the next clause.</summary>
    private readonly record struct Clause(int First, int End)
    {
        /// <summary>False for the default value: a clause's first token comes after its keyword's.</summary>
        public bool IsPresent => First > 0;

        public ReadOnlySpan<Token> Of(ReadOnlySpan<Token> tokens) => tokens[First..End];
    }

    [InlineArray(KeywordCount)]
    private struct Clauses
    {
        private Clause _first;
    }

    /// <summary>Tokens held on the stack; a Received value has a few dozen, a longer one gets an array.</summary>
    private const int MaxStackTokens = 64;

    private const int FromClause = 0;
    private const int ByClause = 1;
    private const int WithClause = 3;
    private const int IdClause = 4;
    private const int ForClause = 5;
    private const int KeywordCount = 6;

    /// <summary>The clause keywords, in the order of the slots <see cref="FindClauses"/> fills.</summary>
    private static readonly string[] s_keywords = ["from", "by", "via", "with", "id", "for"];

    private static int KeywordSlot(ReadOnlySpan<char> word)
    {
        if (word.Length is < 2 or > 4)
        {
            return -1;
        }

        for (int k = 0; k < s_keywords.Length; k++)
        {
            if (word.Equals(s_keywords[k], StringComparison.OrdinalIgnoreCase))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>
    /// The clauses of the tokens, one slot per keyword: a keyword opens its clause unless its slot is taken or the
    /// clause before it has no token yet (then it is a word of that clause); tokens before the first keyword belong
    /// to no clause.
    /// </summary>
    private static Clauses FindClauses(ReadOnlySpan<char> body, ReadOnlySpan<Token> tokens)
    {
        Clauses clauses = default;
        int current = -1;
        bool currentIsEmpty = false;
        for (int t = 0; t < tokens.Length; t++)
        {
            Token token = tokens[t];
            if (!token.IsComment && !currentIsEmpty && KeywordSlot(token.Apply(body)) is var slot and >= 0 && !clauses[slot].IsPresent)
            {
                if (current >= 0)
                {
                    clauses[current] = clauses[current] with { End = t };
                }

                current = slot;
                clauses[slot] = new Clause(t + 1, tokens.Length);
                currentIsEmpty = true;
            }
            else
            {
                currentIsEmpty = false;
            }
        }

        return clauses;
    }

    /// <summary>
    /// Cuts <paramref name="body"/> into <paramref name="tokens"/> and returns how many. A word runs to a space or '('
    /// outside a [literal]; the text is unfolded, so a space is its only white space.
    /// </summary>
    private static int Tokenize(ReadOnlySpan<char> body, Span<Token> tokens)
    {
        int count = 0;
        int i = 0;
        while (i < body.Length)
        {
            char c = body[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '(')
            {
                int close = MatchingParen(body, i);
                tokens[count++] = new Token(i + 1, Math.Max(i + 1, close), IsComment: true);
                i = close + 1;
                continue;
            }

            int start = i;
            while (i < body.Length)
            {
                int stop = body[i..].IndexOfAny(s_wordStops);
                if (stop < 0)
                {
                    i = body.Length;
                    break;
                }

                i += stop;
                if (body[i] != '[')
                {
                    break;
                }

                int close = body[i..].IndexOf(']');
                i = close < 0 ? body.Length : i + close + 1;
            }

            tokens[count++] = new Token(start, i, IsComment: false);
        }

        return count;
    }

    private static int MatchingParen(ReadOnlySpan<char> text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')' && --depth == 0)
            {
                return i;
            }
        }

        return text.Length;
    }

    private static string? HostWord(ReadOnlySpan<char> body, ReadOnlySpan<Token> clause)
    {
        if (FirstWord(clause) is not { } first)
        {
            return null;
        }

        ReadOnlySpan<char> word = first.Apply(body).TrimEnd(s_wordEnds);
        return word.Length == 0 ? null : word.Trim(s_brackets).TrimEnd('.').ToString();
    }

    /// <summary>The clause's words joined by single spaces, without a trailing ';'.</summary>
    private static string? ProtocolWords(ReadOnlySpan<char> body, ReadOnlySpan<Token> clause)
    {
        // "with Microsoft SMTP Server" is several words; "with ESMTPS id ..." stops at the next keyword anyway. In the
        // unfolded text, words with no comment between them are separated by one space already: their run is the join.
        int first = -1;
        int last = -1;
        bool commentAfterWord = false;
        foreach (Token token in clause)
        {
            if (token.IsComment)
            {
                commentAfterWord |= first >= 0;
                continue;
            }

            if (commentAfterWord)
            {
                return JoinWords(body, clause).TrimEnd(';');
            }

            first = first < 0 ? token.Start : first;
            last = token.End;
        }

        return first < 0 ? null : body[first..last].TrimEnd(';').ToString();
    }

    private static string JoinWords(ReadOnlySpan<char> body, ReadOnlySpan<Token> clause)
    {
        var joined = new StringBuilder();
        foreach (Token token in clause)
        {
            if (!token.IsComment)
            {
                (joined.Length > 0 ? joined.Append(' ') : joined).Append(token.Apply(body));
            }
        }

        return joined.ToString();
    }

    private static string? HeloName(ReadOnlySpan<char> body, ReadOnlySpan<Token> clause)
    {
        foreach (Token token in clause)
        {
            ReadOnlySpan<char> comment = token.Apply(body);
            if (!token.IsComment
                || (!comment.Contains("helo", StringComparison.OrdinalIgnoreCase) && !comment.Contains("ehlo", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            // Rare (qmail, Exim): the comment becomes a string for the pattern's named group.
            Match helo = HeloPattern().Match(comment.ToString());
            if (helo.Success)
            {
                return helo.Groups["name"].Value.Trim(s_brackets);
            }
        }

        return null;
    }

    /// <summary>
    /// The name before a bracketed address in a comment (<c>(mail.example.org [203.0.113.5])</c>), read by hand as the
    /// pattern <c>^\s*(?&lt;name&gt;[A-Za-z0-9][A-Za-z0-9.\-_]*)\.?\s*\[</c> matches it: the name is the longest run
    /// of its characters (a shorter one would leave a name character where only a dot, white space or '[' may follow).
    /// </summary>
    private static string? ReverseDns(ReadOnlySpan<char> body, ReadOnlySpan<Token> clause)
    {
        foreach (Token token in clause)
        {
            ReadOnlySpan<char> comment = token.Apply(body);
            if (!token.IsComment || !comment.Contains('['))
            {
                continue;
            }

            ReadOnlySpan<char> rest = comment.TrimStart();
            if (rest.IsEmpty || !char.IsAsciiLetterOrDigit(rest[0]))
            {
                continue;
            }

            int nameEnd = rest.IndexOfAnyExcept(s_hostNameChars);
            if (nameEnd < 0 || !rest[nameEnd..].TrimStart().StartsWith('['))
            {
                continue;
            }

            ReadOnlySpan<char> name = rest[..nameEnd];
            if (!name.Equals("unknown", StringComparison.OrdinalIgnoreCase))
            {
                return name.TrimEnd('.').ToString();
            }
        }

        return null;
    }

    /// <summary>
    /// The connecting IP: a bracketed literal anywhere in the clause first (Postfix/Sendmail <c>[1.2.3.4]</c>,
    /// <c>[IPv6:...]</c>), then a comment that is nothing but an address (Exchange <c>(2603:10b6:...)</c>, qmail),
    /// then the host word itself when it is an address (Gmail's IPv6 <c>by</c> hosts), then any address in a comment.
    /// </summary>
    private static string? FindIp(ReadOnlySpan<char> body, ReadOnlySpan<Token> clause)
    {
        if ((FirstBracketLiteral(body, clause, comments: false) ?? FirstBracketLiteral(body, clause, comments: true)) is { } literal)
        {
            return literal;
        }

        foreach (Token token in clause)
        {
            if (token.IsComment && NormaliseIp(token.Apply(body).Trim()) is { } ip)
            {
                return ip;
            }
        }

        if (FirstWord(clause) is { } host && NormaliseIp(host.Apply(body).Trim(s_brackets).TrimEnd(';')) is { } hostIp)
        {
            return hostIp;
        }

        foreach (Token token in clause)
        {
            if (token.IsComment && HeaderIpScanner.Find(token.Apply(body).ToString()).FirstOrDefault() is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The first address in brackets in the clause's words (or comments), in order.</summary>
    private static string? FirstBracketLiteral(ReadOnlySpan<char> body, ReadOnlySpan<Token> clause, bool comments)
    {
        foreach (Token token in clause)
        {
            ReadOnlySpan<char> part = token.Apply(body);
            if (token.IsComment != comments || !part.Contains('['))
            {
                continue;
            }

            // The "ip" group is the whole match but its brackets: read it from the match position, without Match objects.
            foreach (ValueMatch bracket in BracketLiteral().EnumerateMatches(part))
            {
                if (NormaliseIp(part.Slice(bracket.Index + 1, bracket.Length - 2)) is { } ip)
                {
                    return ip;
                }
            }
        }

        return null;
    }

    private static bool IsIpLiteral(string host) => NormaliseIp(host.Trim(s_brackets)) is not null;

    /// <summary>A canonical textual address for a literal such as <c>IPv6:2001:db8::1</c>, or null.</summary>
    internal static string? NormaliseIp(string candidate) => NormaliseIp(candidate.AsSpan());

    /// <inheritdoc cref="NormaliseIp(string)"/>
    internal static string? NormaliseIp(ReadOnlySpan<char> candidate)
    {
        ReadOnlySpan<char> text = candidate.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) ? candidate[5..] : candidate;
        if (text.Length is < 2 or > 45 || text.ContainsAnyExcept(s_ipLiteralChars))
        {
            return null;
        }

        if (!IPAddress.TryParse(text, out IPAddress? address))
        {
            return null;
        }

        // IPAddress.TryParse accepts "1" or "1.2" as IPv4; mail headers only mean dotted quads.
        if (address.AddressFamily == AddressFamily.InterNetwork && text.Count('.') != 3)
        {
            return null;
        }

        return address.ToString();
    }

    private static char[] WhiteSpaceChars(bool exceptSpace) =>
        [.. Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(c => char.IsWhiteSpace(c) && !(exceptSpace && c == ' '))];

    [GeneratedRegex(@"(?:\b(?:mon|tue|wed|thu|fri|sat|sun),?\s+)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[+-]\d{4}|[a-z]{1,5})?(?:\s*\([^)]*\))?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex TrailingDateGenerated();

    private static Regex TrailingDate() => AnalysisRegex.Apply(TrailingDateGenerated());

    [GeneratedRegex(@"(?:\b(?:helo|ehlo)[=\s]+)(?<name>[^\s)\]]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex HeloPatternGenerated();

    private static Regex HeloPattern() => AnalysisRegex.Apply(HeloPatternGenerated());

    [GeneratedRegex(@"\[(?<ip>(?:IPv6:)?[0-9A-Fa-f:.]+)\]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex BracketLiteralGenerated();

    private static Regex BracketLiteral() => AnalysisRegex.Apply(BracketLiteralGenerated());
}
