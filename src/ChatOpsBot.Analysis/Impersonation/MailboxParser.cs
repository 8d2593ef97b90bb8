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

    /// <summary>The mailboxes in <paramref name="text"/>; null when it is empty or any part is not a valid mailbox.</summary>
    public static IReadOnlyList<ParsedMailbox>? TryParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<string>? items = SplitTopLevel(text);
        if (items is null)
        {
            return null;
        }

        var mailboxes = new List<ParsedMailbox>(items.Count);
        foreach (string item in items)
        {
            ParsedMailbox? mailbox = TryParseMailbox(item);
            if (mailbox is null)
            {
                return null;
            }

            mailboxes.Add(mailbox);
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

    // Splits at top-level ',' and ';' (outside quotes, comments, <...> and [...]) and drops group names ("Team:").
    private static List<string>? SplitTopLevel(string text)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        bool inQuote = false, inAngle = false, inLiteral = false;
        int commentDepth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if ((inQuote || commentDepth > 0) && c == '\\' && i + 1 < text.Length)
            {
                current.Append(c).Append(text[++i]);
                continue;
            }

            if (inQuote)
            {
                inQuote = c != '"';
            }
            else if (commentDepth > 0)
            {
                commentDepth += c switch { '(' => 1, ')' => -1, _ => 0 };
            }
            else if (inLiteral)
            {
                inLiteral = c != ']';
            }
            else
            {
                switch (c)
                {
                    case '"':
                        inQuote = true;
                        break;
                    case '(':
                        commentDepth = 1;
                        break;
                    case '[':
                        inLiteral = true;
                        break;
                    case '<' when inAngle:
                        return null;
                    case '<':
                        inAngle = true;
                        break;
                    case '>' when !inAngle:
                        return null;
                    case '>':
                        inAngle = false;
                        break;
                    case ')':
                    case ']':
                        return null;
                    case ':' when !inAngle:
                        current.Clear();
                        continue;
                    case ',' or ';' when !inAngle:
                        AddItem(items, current);
                        continue;
                }
            }

            current.Append(c);
        }

        if (inQuote || inAngle || inLiteral || commentDepth > 0)
        {
            return null;
        }

        AddItem(items, current);
        return items;
    }

    private static void AddItem(List<string> items, StringBuilder current)
    {
        string item = current.ToString().Trim();
        if (item.Length > 0)
        {
            items.Add(item);
        }

        current.Clear();
    }

    private static ParsedMailbox? TryParseMailbox(string item)
    {
        var phrase = new StringBuilder();
        var bare = new StringBuilder();
        string? comment = null;
        string? angle = null;
        bool afterAngle = false;
        for (int i = 0; i < item.Length; i++)
        {
            char c = item[i];
            if (c == '(')
            {
                int end = SkipComment(item, i, out string content);
                comment ??= Collapse(content);
                phrase.Append(' ');
                bare.Append(' ');
                i = end;
            }
            else if (afterAngle)
            {
                if (!char.IsWhiteSpace(c))
                {
                    return null;
                }
            }
            else if (c == '"')
            {
                int end = item.IndexOf('"', i + 1);
                while (end > 0 && IsEscaped(item, end))
                {
                    end = item.IndexOf('"', end + 1);
                }

                phrase.Append(Unescape(item[(i + 1)..end]));
                bare.Append(item, i, end - i + 1);
                i = end;
            }
            else if (c == '<')
            {
                int end = item.IndexOf('>', i + 1);
                angle = item[(i + 1)..end];
                afterAngle = true;
                i = end;
            }
            else
            {
                phrase.Append(c);
                bare.Append(c);
            }
        }

        string spec;
        string displayName;
        if (angle is not null)
        {
            spec = StripRoute(angle.Trim());
            displayName = Collapse(phrase.ToString());
        }
        else
        {
            spec = bare.ToString().Trim();
            displayName = string.Empty;
        }

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

    private static int SkipComment(string text, int open, out string content)
    {
        int depth = 0;
        var inner = new StringBuilder();
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
                return i;
            }

            if (depth > 1 || c is not '(')
            {
                inner.Append(c);
            }
        }

        content = inner.ToString();
        return text.Length - 1;
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
}
