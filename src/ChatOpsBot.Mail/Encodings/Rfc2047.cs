using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>Problems found while decoding encoded words, so the caller can record defects.</summary>
[Flags]
internal enum EncodedWordIssues
{
    None = 0,
    InvalidWord = 1,
    UnknownCharset = 2,
}

/// <summary>
/// RFC 2047 encoded-word decoding as lenient clients do it: words are decoded wherever they appear (glued to text,
/// inside quotes), whitespace between adjacent words is dropped, and adjacent words in the same charset are decoded
/// together so a multi-byte character split across words survives.
/// </summary>
internal static class Rfc2047
{
    private const int MaxCharsetLength = 64;

    public static string Decode(string text, out EncodedWordIssues issues)
    {
        issues = EncodedWordIssues.None;
        int first = text.IndexOf("=?", StringComparison.Ordinal);
        if (first < 0)
        {
            return text;
        }

        StringBuilder result = new(text.Length);
        List<byte> pendingBytes = [];
        string? pendingCharset = null;
        int position = 0;
        int nextTerminator = -1;
        int start = first;
        while (start >= 0)
        {
            if (!TryParseWord(text, start, ref nextTerminator, out Range charsetRange, out char encoding, out int payloadStart, out int payloadEnd, out bool malformed))
            {
                if (malformed)
                {
                    issues |= EncodedWordIssues.InvalidWord;
                }

                start = text.IndexOf("=?", start + 2, StringComparison.Ordinal);
                continue;
            }

            ReadOnlySpan<char> between = text.AsSpan(position, start - position);
            ReadOnlySpan<char> charset = text.AsSpan(charsetRange);
            bool adjacentToPrevious = pendingCharset is not null && between.IsWhiteSpace();
            if (!adjacentToPrevious || !charset.Equals(pendingCharset, StringComparison.OrdinalIgnoreCase))
            {
                Flush(result, pendingBytes, ref pendingCharset, ref issues);
                if (!adjacentToPrevious)
                {
                    result.Append(between);
                }

                pendingCharset = charset.ToString();
            }

            bool decodedCleanly = encoding is 'B' or 'b'
                ? DecodeBase64(text.AsSpan(payloadStart, payloadEnd - payloadStart), pendingBytes)
                : DecodeQ(text.AsSpan(payloadStart, payloadEnd - payloadStart), pendingBytes);
            if (!decodedCleanly)
            {
                issues |= EncodedWordIssues.InvalidWord;
            }

            position = payloadEnd + 2;
            start = text.IndexOf("=?", position, StringComparison.Ordinal);
        }

        Flush(result, pendingBytes, ref pendingCharset, ref issues);
        result.Append(text.AsSpan(position));
        return result.ToString();
    }

    private static bool TryParseWord(
        string text,
        int start,
        ref int nextTerminator,
        out Range charset,
        out char encoding,
        out int payloadStart,
        out int payloadEnd,
        out bool malformed)
    {
        charset = default;
        encoding = '\0';
        payloadStart = payloadEnd = 0;
        malformed = false;
        int charsetStart = start + 2;
        int charsetEnd = charsetStart;
        while (charsetEnd < text.Length && charsetEnd - charsetStart <= MaxCharsetLength && text[charsetEnd] != '?'
            && !char.IsWhiteSpace(text[charsetEnd]))
        {
            charsetEnd++;
        }

        if (charsetEnd == charsetStart || charsetEnd + 2 >= text.Length || text[charsetEnd] != '?' || text[charsetEnd + 2] != '?')
        {
            return false;
        }

        encoding = text[charsetEnd + 1];
        if (encoding is not ('B' or 'b' or 'Q' or 'q'))
        {
            malformed = true;
            return false;
        }

        payloadStart = charsetEnd + 3;

        // The next "?=" is cached: positions only move forward, so a text full of unterminated "=?" stays linear.
        if (nextTerminator < payloadStart)
        {
            nextTerminator = text.IndexOf("?=", payloadStart, StringComparison.Ordinal);
        }

        if (nextTerminator < 0)
        {
            malformed = true;
            nextTerminator = int.MaxValue;
            return false;
        }

        if (nextTerminator == int.MaxValue)
        {
            malformed = true;
            return false;
        }

        payloadEnd = nextTerminator;
        int star = text.AsSpan(charsetStart, charsetEnd - charsetStart).IndexOf('*');
        charset = charsetStart..(star >= 0 ? charsetStart + star : charsetEnd);
        return true;
    }

    private static void Flush(StringBuilder result, List<byte> bytes, ref string? charset, ref EncodedWordIssues issues)
    {
        if (charset is null)
        {
            return;
        }

        if (!Charsets.IsKnown(charset))
        {
            issues |= EncodedWordIssues.UnknownCharset;
        }

        result.Append(Charsets.DecodeText(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes), charset));
        bytes.Clear();
        charset = null;
    }

    private static bool DecodeQ(ReadOnlySpan<char> payload, List<byte> output)
    {
        bool clean = true;
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < payload.Length; i++)
        {
            char c = payload[i];
            if (c == '_')
            {
                output.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < payload.Length && HexValue(payload[i + 1]) is int high and >= 0 && HexValue(payload[i + 2]) is int low and >= 0)
            {
                output.Add((byte)((high << 4) | low));
                i += 2;
            }
            else
            {
                if (c == '=')
                {
                    clean = false;
                }

                // Raw 8-bit text inside a Q word (seen in the wild) keeps its UTF-8 bytes.
                if (c < 0x80)
                {
                    output.Add((byte)c);
                }
                else
                {
                    int written = Encoding.UTF8.GetBytes([c], utf8);
                    for (int k = 0; k < written; k++)
                    {
                        output.Add(utf8[k]);
                    }
                }
            }
        }

        return clean;
    }

    private static bool DecodeBase64(ReadOnlySpan<char> payload, List<byte> output)
    {
        bool clean = true;
        int accumulator = 0;
        int bits = 0;
        foreach (char c in payload)
        {
            int value = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a' + 26,
                >= '0' and <= '9' => c - '0' + 52,
                '+' => 62,
                '/' => 63,
                _ => -1,
            };
            if (value < 0)
            {
                if (c != '=' && !char.IsWhiteSpace(c))
                {
                    clean = false;
                }

                continue;
            }

            accumulator = (accumulator << 6) | value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(accumulator >> bits));
            }
        }

        return clean;
    }

    internal static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
