using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Headers;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

/// <summary>
/// The Received parser as it was before it read clauses as positions in the unfolded text (a string per word, a
/// list per clause, a substring per date): the oracle the current <see cref="ReceivedParser"/> is held to over
/// generated and real headers. Kept verbatim but for names; <see cref="ReceivedParser.NormaliseIp(string)"/>,
/// <see cref="ReceivedParser.Unfold"/>, <see cref="MailDate"/> and <see cref="HeaderIpScanner"/> are shared.
/// </summary>
internal static partial class LegacyReceivedParser
{
    private const int MaxHeaderLength = 8 * 1024;

    /// <summary>Where a word of an unfolded value can end (its only white space is single spaces) or a literal start.</summary>
    private static readonly SearchValues<char> s_wordStops = SearchValues.Create(" ([");

    // Character sets as static arrays: an array literal argument (params char[] or a collection expression) allocates a
    // new array, filled from its metadata, at every call.
    private static readonly char[] s_brackets = ['[', ']'];

    private static readonly char[] s_wordEnds = [';', ','];

    private static readonly char[] s_recipientPunctuation = ['<', '>', ';'];

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
        string text = ReceivedParser.Unfold(value.Length > MaxHeaderLength ? value[..MaxHeaderLength] : value);
        (int bodyLength, DateTimeOffset? timestamp) = SplitDate(text);
        Clause?[] clauses = Tokenize(text.AsSpan(0, bodyLength), text);

        string? fromHost = null;
        string? fromIp = null;
        string? fromReverseDns = null;
        if (clauses[FromClause] is { } from)
        {
            fromHost = HostWord(from);
            fromIp = FindIp(from);
            fromReverseDns = ReverseDns(from);
            if (HeloName(from) is { } helo && (fromHost is null || IsIpLiteral(fromHost) || fromHost.Equals("unknown", StringComparison.OrdinalIgnoreCase)))
            {
                fromHost = helo;
            }
        }

        string? byHost = null;
        string? byIp = null;
        if (clauses[ByClause] is { } by)
        {
            byHost = HostWord(by);
            byIp = FindIp(by);
        }

        return new HopFields(
            text,
            timestamp,
            fromHost,
            fromIp,
            fromReverseDns,
            byHost,
            byIp,
            clauses[WithClause] is { } with ? ProtocolWords(with) : null,
            clauses[IdClause] is { } id ? FirstWord(id)?.TrimEnd(';') : null,
            clauses[ForClause] is { } recipient ? FirstWord(recipient)?.Trim(s_recipientPunctuation) : null);
    }

    private static string? FirstWord(Clause clause) => clause.Words.Length > 0 ? clause.Words[0] : null;

    /// <summary>The length of the text before the date, and the date.</summary>
    private static (int BodyLength, DateTimeOffset? Timestamp) SplitDate(string text)
    {
        int semicolon = LastTopLevelSemicolon(text);
        if (semicolon >= 0 && MailDate.TryParse(text[(semicolon + 1)..]) is { } stamp)
        {
            return (semicolon, stamp);
        }

        // SendGrid and some appliances omit the ';': take a date-shaped tail.
        Match tail = TrailingDate().Match(text);
        if (tail.Success && MailDate.TryParse(tail.Value) is { } tailStamp)
        {
            return (tail.Index, tailStamp);
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

    /// <summary>The words and comments of one clause; most clauses have no comment, so the lists are made on first use.</summary>
    private sealed class Clause
    {
        private List<string>? _words;
        private List<string>? _comments;

        public ReadOnlySpan<string> Words => CollectionsMarshal.AsSpan(_words);

        public ReadOnlySpan<string> Comments => CollectionsMarshal.AsSpan(_comments);

        public bool IsEmpty => _words is null && _comments is null;

        public void AddWord(string word) => (_words ??= []).Add(word);

        public void AddComment(string comment) => (_comments ??= []).Add(comment);
    }

    private const int FromClause = 0;
    private const int ByClause = 1;
    private const int WithClause = 3;
    private const int IdClause = 4;
    private const int ForClause = 5;

    /// <summary>The clause keywords, in the order of the slots <see cref="Tokenize"/> fills.</summary>
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

    /// <summary>The clauses of <paramref name="body"/> (a prefix of the unfolded <paramref name="text"/>), one slot per keyword.</summary>
    private static Clause?[] Tokenize(ReadOnlySpan<char> body, string text)
    {
        var clauses = new Clause?[s_keywords.Length];
        Clause? current = null;
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
                int end = MatchingParen(body, i);
                current?.AddComment(text[(i + 1)..Math.Max(i + 1, end)]);
                i = end + 1;
                continue;
            }

            // A word runs to a space or '(' outside a [literal]; the text is unfolded, so a space is its only white space.
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

            ReadOnlySpan<char> word = body[start..i];
            bool previousKeywordHasNoValue = current is { IsEmpty: true };
            int slot = previousKeywordHasNoValue ? -1 : KeywordSlot(word);
            if (slot >= 0 && clauses[slot] is null)
            {
                current = new Clause();
                clauses[slot] = current;
            }
            else
            {
                current?.AddWord(text[start..i]);
            }
        }

        return clauses;
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

    private static string? HostWord(Clause clause)
    {
        string? word = FirstWord(clause);
        if (word is null)
        {
            return null;
        }

        word = word.TrimEnd(s_wordEnds);
        return word.Length == 0 ? null : word.Trim(s_brackets).TrimEnd('.');
    }

    private static string? ProtocolWords(Clause clause)
    {
        if (clause.Words.Length == 0)
        {
            return null;
        }

        // "with Microsoft SMTP Server" is several words; "with ESMTPS id ..." stops at the next keyword anyway.
        return string.Join(' ', clause.Words).TrimEnd(';');
    }

    private static string? HeloName(Clause clause)
    {
        foreach (string comment in clause.Comments)
        {
            if (!comment.Contains("helo", StringComparison.OrdinalIgnoreCase) && !comment.Contains("ehlo", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Match helo = HeloPattern().Match(comment);
            if (helo.Success)
            {
                return helo.Groups["name"].Value.Trim(s_brackets);
            }
        }

        return null;
    }

    private static string? ReverseDns(Clause clause)
    {
        foreach (string comment in clause.Comments)
        {
            if (!comment.Contains('[', StringComparison.Ordinal))
            {
                continue;
            }

            Match named = NameThenBracketIp().Match(comment);
            if (named.Success && !named.Groups["name"].Value.Equals("unknown", StringComparison.OrdinalIgnoreCase)
                && !named.Groups["name"].Value.Contains('=', StringComparison.Ordinal))
            {
                return named.Groups["name"].Value.TrimEnd('.');
            }
        }

        return null;
    }

    /// <summary>
    /// The connecting IP: a bracketed literal anywhere in the clause first (Postfix/Sendmail <c>[1.2.3.4]</c>,
    /// <c>[IPv6:...]</c>), then a comment that is nothing but an address (Exchange <c>(2603:10b6:...)</c>, qmail),
    /// then the host word itself when it is an address (Gmail's IPv6 <c>by</c> hosts), then any address in a comment.
    /// </summary>
    private static string? FindIp(Clause clause)
    {
        if ((FirstBracketLiteral(clause.Words) ?? FirstBracketLiteral(clause.Comments)) is { } literal)
        {
            return literal;
        }

        foreach (string comment in clause.Comments)
        {
            if (ReceivedParser.NormaliseIp(comment.Trim()) is { } ip)
            {
                return ip;
            }
        }

        if (FirstWord(clause) is { } host && ReceivedParser.NormaliseIp(host.Trim(s_brackets).TrimEnd(';')) is { } hostIp)
        {
            return hostIp;
        }

        foreach (string comment in clause.Comments)
        {
            if (HeaderIpScanner.Find(comment).FirstOrDefault() is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string? FirstBracketLiteral(ReadOnlySpan<string> parts)
    {
        foreach (string part in parts)
        {
            if (!part.Contains('[', StringComparison.Ordinal))
            {
                continue;
            }

            // The "ip" group is the whole match but its brackets: read it from the match position, without Match objects.
            foreach (ValueMatch bracket in BracketLiteral().EnumerateMatches(part))
            {
                if (ReceivedParser.NormaliseIp(part.AsSpan(bracket.Index + 1, bracket.Length - 2)) is { } ip)
                {
                    return ip;
                }
            }
        }

        return null;
    }

    private static bool IsIpLiteral(string host) => ReceivedParser.NormaliseIp(host.Trim(s_brackets)) is not null;

    [GeneratedRegex(@"(?:\b(?:mon|tue|wed|thu|fri|sat|sun),?\s+)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[+-]\d{4}|[a-z]{1,5})?(?:\s*\([^)]*\))?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex TrailingDateGenerated();

    private static Regex TrailingDate() => AnalysisRegex.Apply(TrailingDateGenerated());

    [GeneratedRegex(@"(?:\b(?:helo|ehlo)[=\s]+)(?<name>[^\s)\]]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex HeloPatternGenerated();

    private static Regex HeloPattern() => AnalysisRegex.Apply(HeloPatternGenerated());

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z0-9][A-Za-z0-9.\-_]*)\.?\s*\[", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex NameThenBracketIpGenerated();

    private static Regex NameThenBracketIp() => AnalysisRegex.Apply(NameThenBracketIpGenerated());

    [GeneratedRegex(@"\[(?<ip>(?:IPv6:)?[0-9A-Fa-f:.]+)\]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex BracketLiteralGenerated();

    private static Regex BracketLiteral() => AnalysisRegex.Apply(BracketLiteralGenerated());
}
