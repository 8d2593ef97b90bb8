using System.Text;

namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>One mailbox of an address header: <c>"Doe, Jane" &lt;jane@corp.com&gt;</c>.</summary>
/// <param name="DisplayName">The phrase before the angle address (unquoted, whitespace collapsed), else the first comment, else empty.</param>
/// <param name="LocalPart">As written (quotes kept).</param>
/// <param name="Domain">The parsed domain.</param>
internal sealed record ParsedMailbox(string DisplayName, string LocalPart, DomainName Domain)
{
    public string Address => $"{LocalPart}@{Domain.Text}";

    /// <summary>
    /// Comparison key: case-insensitive local part (quotes that add nothing removed) and the ASCII domain, so
    /// <c>"Boss" &lt;ceo@corp.com&gt;</c>, <c>CEO@Corp.com</c> and <c>"ceo"@corp.com</c> compare equal.
    /// </summary>
    public string Key
    {
        get
        {
            string local = LocalPart;
            if (local.Length >= 2 && local[0] == '"' && local[^1] == '"')
            {
                string unquoted = MailboxParser.Unescape(local[1..^1]);
                if (MailboxParser.IsDotAtom(unquoted))
                {
                    local = unquoted;
                }
            }

            return $"{local.ToLowerInvariant()}@{Domain.Ascii}";
        }
    }
}

/// <summary>
/// A lenient RFC 5322 address-list reader for the From and Reply-To values an analyst or the mail parser hands in:
/// angle addresses, quoted display names, comments, groups and obsolete routes. It never throws; anything it cannot
/// read as mailboxes is reported as null so the checker can say so. RFC 2047 encoded words are the MIME parser's job.
/// </summary>
internal static class MailboxParser
{
    private const string AtomSpecials = "()<>[]:;@\\,\"";
    private const string TokenDelimiters = "\"(<[)>],;:";

    private enum TokenKind
    {
        Text,
        Space,
        Quoted,
        Comment,
        Angle,
        Special,
    }

    /// <summary>The mailboxes in <paramref name="text"/>; null when it is empty or any part is not a valid mailbox.</summary>
    public static IReadOnlyList<ParsedMailbox>? TryParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<Token>? tokens = Tokenize(text);
        if (tokens is null)
        {
            return null;
        }

        var mailboxes = new List<ParsedMailbox>();
        var item = new List<Token>();
        foreach (Token token in tokens.Append(new Token(TokenKind.Special, ",", ",")))
        {
            if (token.Kind != TokenKind.Special)
            {
                item.Add(token);
                continue;
            }

            // "Team: a@x, b@y;" is a group: its name is not a mailbox, its members are.
            if (token.Raw != ":" && item.Any(t => t.Kind != TokenKind.Space))
            {
                ParsedMailbox? mailbox = TryParseMailbox(item);
                if (mailbox is null)
                {
                    return null;
                }

                mailboxes.Add(mailbox);
            }

            item.Clear();
        }

        return mailboxes.Count == 0 ? null : mailboxes;
    }

    /// <summary>Exactly one mailbox, as a From header must hold; null otherwise.</summary>
    public static ParsedMailbox? TryParseSingle(string text)
    {
        IReadOnlyList<ParsedMailbox>? list = TryParseList(text);
        return list is [ParsedMailbox only] ? only : null;
    }

    internal static bool IsDotAtom(string text) =>
        text.Length > 0 && !text.StartsWith('.') && !text.EndsWith('.')
        && text.All(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && !AtomSpecials.Contains(c, StringComparison.Ordinal));

    internal static string Unescape(string quoted)
    {
        var result = new StringBuilder(quoted.Length);
        for (int i = 0; i < quoted.Length; i++)
        {
            if (quoted[i] == '\\' && i + 1 < quoted.Length)
            {
                i++;
            }

            result.Append(quoted[i]);
        }

        return result.ToString();
    }

    // One pass over the header: quoted strings, comments, angle addresses and domain literals become single tokens,
    // so the specials inside them never split anything. Unbalanced or stray delimiters make the whole value invalid.
    private static List<Token>? Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int start = i;
            switch (c)
            {
                case '"':
                    i = SkipQuoted(text, i);
                    if (i < 0)
                    {
                        return null;
                    }

                    tokens.Add(new Token(TokenKind.Quoted, text[start..i], Unescape(text[(start + 1)..(i - 1)])));
                    break;
                case '(':
                    i = SkipComment(text, i, out string comment);
                    if (i < 0)
                    {
                        return null;
                    }

                    tokens.Add(new Token(TokenKind.Comment, text[start..i], comment));
                    break;
                case '<':
                    i = SkipAngle(text, i);
                    if (i < 0)
                    {
                        return null;
                    }

                    tokens.Add(new Token(TokenKind.Angle, text[start..i], text[(start + 1)..(i - 1)]));
                    break;
                case '[':
                    i = SkipLiteral(text, i);
                    if (i < 0)
                    {
                        return null;
                    }

                    tokens.Add(new Token(TokenKind.Text, text[start..i], text[start..i]));
                    break;
                case ')' or '>' or ']':
                    return null;
                case ',' or ';' or ':':
                    tokens.Add(new Token(TokenKind.Special, c.ToString(), c.ToString()));
                    i++;
                    break;
                default:
                    bool space = char.IsWhiteSpace(c);
                    while (i < text.Length && char.IsWhiteSpace(text[i]) == space && (space || !TokenDelimiters.Contains(text[i], StringComparison.Ordinal)))
                    {
                        i++;
                    }

                    tokens.Add(new Token(space ? TokenKind.Space : TokenKind.Text, text[start..i], text[start..i]));
                    break;
            }
        }

        return tokens;
    }

    private static ParsedMailbox? TryParseMailbox(List<Token> item)
    {
        var phrase = new StringBuilder();
        var bare = new StringBuilder();
        string? comment = null;
        string? angle = null;
        foreach (Token token in item)
        {
            if (token.Kind == TokenKind.Comment)
            {
                // A comment separates like whitespace; the first one is the display name of last resort.
                comment ??= Collapse(token.Value);
                phrase.Append(' ');
                bare.Append(' ');
            }
            else if (angle is not null && token.Kind != TokenKind.Space)
            {
                return null;
            }
            else if (token.Kind == TokenKind.Angle)
            {
                angle = token.Value;
            }
            else
            {
                phrase.Append(token.Kind == TokenKind.Space ? " " : token.Value);
                bare.Append(token.Raw);
            }
        }

        string spec = angle is not null ? StripRoute(angle.Trim()) : bare.ToString().Trim();
        string displayName = angle is not null ? Collapse(phrase.ToString()) : string.Empty;
        if (displayName.Length == 0 && comment is not null)
        {
            displayName = comment;
        }

        return TryParseAddrSpec(spec, displayName);
    }

    private static ParsedMailbox? TryParseAddrSpec(string spec, string displayName)
    {
        int at = -1;
        bool inQuote = false;
        for (int i = 0; i < spec.Length; i++)
        {
            if (spec[i] == '"' && !IsEscaped(spec, i))
            {
                inQuote = !inQuote;
            }
            else if (spec[i] == '@' && !inQuote)
            {
                at = i;
            }
        }

        if (at <= 0)
        {
            return null;
        }

        string local = spec[..at];
        bool quotedLocal = local.Length >= 2 && local[0] == '"' && local[^1] == '"' && !IsEscaped(local, local.Length - 1);
        bool validLocal = quotedLocal || local.All(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && !AtomSpecials.Contains(c, StringComparison.Ordinal));
        DomainName? domain = DomainName.TryCreate(spec[(at + 1)..]);
        return validLocal && domain is not null && !spec[(at + 1)..].Any(char.IsWhiteSpace)
            ? new ParsedMailbox(displayName, local, domain)
            : null;
    }

    // Obsolete source route: <@relay1,@relay2:user@host> addresses user@host.
    private static string StripRoute(string spec)
    {
        if (!spec.StartsWith('@'))
        {
            return spec;
        }

        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? string.Empty : spec[(colon + 1)..].Trim();
    }

    // Each Skip* returns the index just past the construct that starts at open, or -1 when it is not closed.
    private static int SkipQuoted(string text, int open)
    {
        for (int i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i + 1;
            }
        }

        return -1;
    }

    private static int SkipComment(string text, int open, out string content)
    {
        var inner = new StringBuilder();
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                inner.Append(text[++i]);
                continue;
            }

            depth += c switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                content = inner.ToString();
                return i + 1;
            }

            if (i > open)
            {
                inner.Append(c);
            }
        }

        content = string.Empty;
        return -1;
    }

    private static int SkipAngle(string text, int open)
    {
        for (int i = open + 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"':
                    i = SkipQuoted(text, i);
                    if (i < 0)
                    {
                        return -1;
                    }

                    i--;
                    break;
                case '<':
                    return -1;
                case '>':
                    return i + 1;
            }
        }

        return -1;
    }

    private static int SkipLiteral(string text, int open)
    {
        for (int i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '[')
            {
                return -1;
            }
            else if (text[i] == ']')
            {
                return i + 1;
            }
        }

        return -1;
    }

    private static bool IsEscaped(string text, int index)
    {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && text[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static string Collapse(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <param name="Raw">As written.</param>
    /// <param name="Value">Quoted strings unescaped, comments and angle addresses without their delimiters.</param>
    private readonly record struct Token(TokenKind Kind, string Raw, string Value);
}
