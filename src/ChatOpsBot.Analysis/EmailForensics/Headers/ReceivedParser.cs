using System.Buffers;
using System.Net;
using System.Net.Sockets;
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

    private static readonly HashSet<string> s_keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "from", "by", "via", "with", "id", "for",
    };

    /// <summary>Parses the Received values in header order (newest first) into hops numbered oldest first.</summary>
    public static IReadOnlyList<ReceivedHop> ParseChain(IEnumerable<string> receivedValuesNewestFirst)
    {
        ArgumentNullException.ThrowIfNull(receivedValuesNewestFirst);
        List<ReceivedHop> hops = receivedValuesNewestFirst.Select(Parse).Reverse().ToList();
        DateTimeOffset? previous = null;
        for (int i = 0; i < hops.Count; i++)
        {
            ReceivedHop hop = hops[i];
            long? delay = null;
            if (hop.Timestamp is { } ts && previous is { } prev)
            {
                delay = (long)Math.Round((ts - prev).TotalSeconds);
            }

            hops[i] = hop with { Hop = i + 1, DelaySeconds = delay, ClockSkew = delay < 0 };
            previous = hop.Timestamp ?? previous;
        }

        return hops;
    }

    /// <summary>Parses one Received value (folded or not).</summary>
    public static ReceivedHop Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string text = Unfold(value.Length > MaxHeaderLength ? value[..MaxHeaderLength] : value);
        (string body, DateTimeOffset? timestamp) = SplitDate(text);
        Dictionary<string, Clause> clauses = Tokenize(body);

        var hop = new ReceivedHop { Raw = text, Timestamp = timestamp };
        if (clauses.TryGetValue("from", out Clause? from))
        {
            hop = hop with
            {
                FromHost = HostWord(from),
                FromIp = FindIp(from),
                FromReverseDns = ReverseDns(from),
            };
            if (HeloName(from) is { } helo && (hop.FromHost is null || IsIpLiteral(hop.FromHost) || hop.FromHost.Equals("unknown", StringComparison.OrdinalIgnoreCase)))
            {
                hop = hop with { FromHost = helo };
            }
        }

        if (clauses.TryGetValue("by", out Clause? by))
        {
            hop = hop with { ByHost = HostWord(by), ByIp = FindIp(by) };
        }

        if (clauses.TryGetValue("with", out Clause? with))
        {
            hop = hop with { Protocol = ProtocolWords(with) };
        }

        if (clauses.TryGetValue("id", out Clause? id))
        {
            hop = hop with { Id = id.Words.FirstOrDefault()?.TrimEnd(';') };
        }

        if (clauses.TryGetValue("for", out Clause? recipient))
        {
            hop = hop with { For = recipient.Words.FirstOrDefault()?.Trim('<', '>', ';') };
        }

        return hop;
    }

    /// <summary>Collapses every run of white space (as <c>\s+</c>) to one space and trims the ends.</summary>
    internal static string Unfold(string value)
    {
        ReadOnlySpan<char> trimmed = value.AsSpan().Trim();
        bool collapsed = true;
        for (int i = 0; i < trimmed.Length; i++)
        {
            if (char.IsWhiteSpace(trimmed[i]) && (trimmed[i] != ' ' || (i + 1 < trimmed.Length && char.IsWhiteSpace(trimmed[i + 1]))))
            {
                collapsed = false;
                break;
            }
        }

        if (collapsed)
        {
            return trimmed.Length == value.Length ? value : trimmed.ToString();
        }

        var builder = new StringBuilder(trimmed.Length);
        bool inRun = false;
        foreach (char c in trimmed)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inRun)
                {
                    builder.Append(' ');
                    inRun = true;
                }
            }
            else
            {
                builder.Append(c);
                inRun = false;
            }
        }

        return builder.ToString();
    }

    private static (string Body, DateTimeOffset? Timestamp) SplitDate(string text)
    {
        int semicolon = LastTopLevelSemicolon(text);
        if (semicolon >= 0 && MailDate.TryParse(text[(semicolon + 1)..]) is { } stamp)
        {
            return (text[..semicolon], stamp);
        }

        // SendGrid and some appliances omit the ';': take a date-shaped tail.
        Match tail = TrailingDate().Match(text);
        if (tail.Success && MailDate.TryParse(tail.Value) is { } tailStamp)
        {
            return (text[..tail.Index], tailStamp);
        }

        return (semicolon >= 0 ? text[..semicolon] : text, null);
    }

    private static int LastTopLevelSemicolon(string text)
    {
        int depth = 0;
        int last = -1;
        for (int i = 0; i < text.Length; i++)
        {
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

    private sealed class Clause
    {
        public List<string> Words { get; } = [];

        public List<string> Comments { get; } = [];
    }

    private static Dictionary<string, Clause> Tokenize(string body)
    {
        var clauses = new Dictionary<string, Clause>(StringComparer.OrdinalIgnoreCase);
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
                current?.Comments.Add(body[(i + 1)..Math.Max(i + 1, end)]);
                i = end + 1;
                continue;
            }

            int start = i;
            while (i < body.Length && !char.IsWhiteSpace(body[i]) && body[i] != '(')
            {
                if (body[i] == '[')
                {
                    int close = body.IndexOf(']', i);
                    i = close < 0 ? body.Length : close + 1;
                    continue;
                }

                i++;
            }

            string word = body[start..i];
            bool previousKeywordHasNoValue = current is { Words.Count: 0, Comments.Count: 0 };
            if (s_keywords.Contains(word) && !previousKeywordHasNoValue && !clauses.ContainsKey(word))
            {
                current = new Clause();
                clauses[word] = current;
            }
            else
            {
                current?.Words.Add(word);
            }
        }

        return clauses;
    }

    private static int MatchingParen(string text, int open)
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
        string? word = clause.Words.FirstOrDefault();
        if (word is null)
        {
            return null;
        }

        word = word.TrimEnd(';', ',');
        return word.Length == 0 ? null : word.Trim('[', ']').TrimEnd('.');
    }

    private static string? ProtocolWords(Clause clause)
    {
        if (clause.Words.Count == 0)
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
                return helo.Groups["name"].Value.Trim('[', ']');
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
        foreach (string part in clause.Words.Concat(clause.Comments))
        {
            if (!part.Contains('[', StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match bracket in BracketLiteral().Matches(part))
            {
                if (NormaliseIp(bracket.Groups["ip"].Value) is { } ip)
                {
                    return ip;
                }
            }
        }

        foreach (string comment in clause.Comments)
        {
            if (NormaliseIp(comment.Trim()) is { } ip)
            {
                return ip;
            }
        }

        if (clause.Words.FirstOrDefault() is { } host && NormaliseIp(host.Trim('[', ']').TrimEnd(';')) is { } hostIp)
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

    private static bool IsIpLiteral(string host) => NormaliseIp(host.Trim('[', ']')) is not null;

    /// <summary>A canonical textual address for a literal such as <c>IPv6:2001:db8::1</c>, or null.</summary>
    internal static string? NormaliseIp(string candidate)
    {
        string text = candidate.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) ? candidate[5..] : candidate;
        if (text.Length is < 2 or > 45 || text.AsSpan().ContainsAnyExcept(s_ipLiteralChars))
        {
            return null;
        }

        if (!IPAddress.TryParse(text, out IPAddress? address))
        {
            return null;
        }

        // IPAddress.TryParse accepts "1" or "1.2" as IPv4; mail headers only mean dotted quads.
        if (address.AddressFamily == AddressFamily.InterNetwork && text.AsSpan().Count('.') != 3)
        {
            return null;
        }

        return address.ToString();
    }

    [GeneratedRegex(@"(?:\b(?:mon|tue|wed|thu|fri|sat|sun),?\s+)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[+-]\d{4}|[a-z]{1,5})?(?:\s*\([^)]*\))?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TrailingDate();

    [GeneratedRegex(@"(?:\b(?:helo|ehlo)[=\s]+)(?<name>[^\s)\]]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HeloPattern();

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z0-9][A-Za-z0-9.\-_]*)\.?\s*\[", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NameThenBracketIp();

    [GeneratedRegex(@"\[(?<ip>(?:IPv6:)?[0-9A-Fa-f:.]+)\]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BracketLiteral();
}
