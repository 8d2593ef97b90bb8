namespace ChatOpsBot.Intake;

/// <summary>
/// What the mail-flow webhook accepts as "a raw RFC 822 message", checked on the bytes before any parsing:
/// <list type="bullet">
/// <item>the body starts with a header block (an mbox <c>From </c> separator line before it is skipped);</item>
/// <item>the header block is at most <see cref="MaxHeaderBytes"/> and ends at the first empty line (CRLF or bare LF)
/// or at the end of the body;</item>
/// <item>every line in it is a header field (<c>name:</c>, the name 1 to 76 printable US-ASCII characters other than
/// <c>:</c>, RFC 5322 §2.2) or a folded continuation (starting with a space or tab) of one;</item>
/// <item>it holds no NUL and no other control character than tab, CR and LF (8-bit UTF-8 text is allowed, RFC 6532);</item>
/// <item>it has a <c>From:</c> field (RFC 5322 §3.6: every message has one).</item>
/// </list>
/// The body after the header block may be anything (binary transfer encodings exist). Anything else is "not mail":
/// 422, and nothing of it is kept.
/// </summary>
public static class RawMail
{
    public const int MaxHeaderBytes = 256 * 1024;
    public const int MaxFieldNameLength = 76;

    /// <summary>Null when <paramref name="message"/> is mail as defined above, otherwise the reason, in our words.</summary>
    public static string? Problem(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            return "the body is empty";
        }

        int position = 0;
        if (message.StartsWith("From "u8))
        {
            int end = message.IndexOf((byte)'\n');
            if (end < 0)
            {
                return "there is no header block after the mbox From line";
            }

            position = end + 1;
        }

        bool sawField = false;
        bool sawFrom = false;
        while (true)
        {
            if (position >= message.Length)
            {
                break;
            }

            if (position > MaxHeaderBytes)
            {
                return $"the header block is longer than {MaxHeaderBytes / 1024} KiB or has no end";
            }

            ReadOnlySpan<byte> rest = message[position..];
            int newline = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? rest : rest[..newline];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                break;
            }

            foreach (byte b in line)
            {
                if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
                {
                    return "the header block contains control or binary bytes";
                }
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (!sawField)
                {
                    return "the first line is a continuation, not a header field";
                }
            }
            else
            {
                int colon = line.IndexOf((byte)':');
                if (colon is < 1 or > MaxFieldNameLength || line[..colon].ContainsAnyExceptInRange((byte)'!', (byte)'~'))
                {
                    return sawField ? "a line of the header block is not a header field" : "it does not start with a header field (Name: value)";
                }

                sawField = true;
                sawFrom |= System.Text.Ascii.EqualsIgnoreCase(line[..colon], "From"u8);
            }

            if (newline < 0)
            {
                break;
            }

            position += newline + 1;
        }

        return !sawField ? "it does not start with a header field (Name: value)"
            : !sawFrom ? "the header block has no From field"
            : null;
    }

    /// <summary>
    /// Whether the message says it was sent by a program and must not be answered automatically (RFC 3834):
    /// <c>Auto-Submitted</c> other than <c>no</c>, <c>Precedence: bulk/junk/list</c>, or Exchange's
    /// <c>X-Auto-Response-Suppress</c> with <c>All</c> or <c>AutoReply</c>. Replying to those risks mail loops with
    /// out-of-office and other robots. Only the top-level header block is read.
    /// </summary>
    public static bool IsAutomatic(ReadOnlySpan<byte> message)
    {
        string? autoSubmitted = HeaderValue(message, "Auto-Submitted");
        if (autoSubmitted is not null && !autoSubmitted.Split(';')[0].Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        string? precedence = HeaderValue(message, "Precedence")?.Trim();
        if (precedence is not null && (precedence.Equals("bulk", StringComparison.OrdinalIgnoreCase)
            || precedence.Equals("junk", StringComparison.OrdinalIgnoreCase) || precedence.Equals("list", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        string? suppress = HeaderValue(message, "X-Auto-Response-Suppress");
        return suppress is not null && suppress.Split(',', StringSplitOptions.TrimEntries)
            .Any(v => v.Equals("All", StringComparison.OrdinalIgnoreCase) || v.Equals("AutoReply", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The first value of a top-level header field, unfolded; null when absent. Reads at most <see cref="MaxHeaderBytes"/>.</summary>
    public static string? HeaderValue(ReadOnlySpan<byte> message, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ReadOnlySpan<byte> head = message[..Math.Min(message.Length, MaxHeaderBytes)];
        string? value = null;
        bool collecting = false;
        while (!head.IsEmpty)
        {
            int newline = head.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? head : head[..newline];
            head = newline < 0 ? [] : head[(newline + 1)..];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (collecting)
                {
                    value += " " + System.Text.Encoding.UTF8.GetString(line).Trim();
                }

                continue;
            }

            if (collecting)
            {
                return value;
            }

            int colon = line.IndexOf((byte)':');
            if (colon > 0 && System.Text.Ascii.EqualsIgnoreCase(line[..colon], name))
            {
                value = System.Text.Encoding.UTF8.GetString(line[(colon + 1)..]).Trim();
                collecting = true;
            }
        }

        return value;
    }
}
