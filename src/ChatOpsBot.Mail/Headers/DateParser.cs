using System.Buffers;

namespace ChatOpsBot.Mail;

/// <summary>
/// Dates as real mail carries them: RFC 5322 and the obsolete forms (named zones EST/PDT/GMT/UT, military letters,
/// two-digit years), missing seconds or day name, asctime order, comments and stray whitespace.
/// </summary>
internal static class DateParser
{
    private static readonly string[] s_months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly int[] s_monthKeys = [.. s_months.Select(m => MonthKey(m[0], m[1], m[2]))];

    // Where a token ends: white space (as char.IsWhiteSpace), a comma or a comment.
    private static readonly SearchValues<char> s_tokenEnd = SearchValues.Create(WhiteSpace.Chars + ",(");

    // Upper- and lower-case ASCII letters differ in this bit only.
    private const int CaseBit = 0x20;

    private static readonly Dictionary<string, int> s_zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0,
        ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5,
        ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
        ["CET"] = 1, ["CEST"] = 2, ["BST"] = 1, ["MET"] = 1, ["MEST"] = 2, ["EET"] = 2, ["EEST"] = 3,
        ["WET"] = 0, ["WEST"] = 1, ["JST"] = 9, ["KST"] = 9, ["IST"] = 5,
    };

    // Zone names looked up by a slice of the date text, without making a string of it.
    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> s_zonesBySpan =
        s_zones.GetAlternateLookup<ReadOnlySpan<char>>();

    // A date is at most 256 characters (longer ones are not parsed), so it has at most this many tokens.
    private const int MaxLength = 256;

    public static DateTimeOffset? Parse(string text)
    {
        if (text.Length > MaxLength)
        {
            return null;
        }

        // Tokens are slices of the text (start, length), found before any is read, as a list of strings was.
        Span<(int Start, int Length)> tokens = stackalloc (int, int)[MaxLength + 1];
        int count = Tokenize(text, tokens);
        int? day = null;
        int? month = null;
        int? year = null;
        int hour = 0;
        int minute = 0;
        int second = 0;
        bool sawTime = false;
        TimeSpan? zone = null;
        foreach ((int start, int length) in tokens[..count])
        {
            ReadOnlySpan<char> token = text.AsSpan(start, length);
            if (token.Contains(':') && !sawTime)
            {
                if (!TryParseTime(token, out hour, out minute, out second))
                {
                    return null;
                }

                sawTime = true;
            }
            else if ((token[0] is '+' or '-') && token.Length == 5 && TryParseDigits(token[1..], out int hhmm))
            {
                int minutes = (hhmm / 100 * 60) + (hhmm % 100);
                if (hhmm % 100 >= 60 || minutes > 18 * 60)
                {
                    return null;
                }

                zone = TimeSpan.FromMinutes(token[0] == '-' ? -minutes : minutes);
            }
            else if (char.IsAsciiDigit(token[0]))
            {
                if (!TryParseDigits(token, out int number))
                {
                    return null;
                }

                if (day is null && token.Length <= 2 && number is >= 1 and <= 31 && (year is null || month is not null))
                {
                    day = number;
                }
                else if (year is null)
                {
                    year = token.Length switch
                    {
                        <= 2 => number < 50 ? 2000 + number : 1900 + number,
                        3 => 1900 + number,
                        _ => number,
                    };
                }
                else
                {
                    return null;
                }
            }
            else if (MonthIndex(token) is int m)
            {
                month ??= m;
            }
            else if (s_zonesBySpan.TryGetValue(token, out int hours))
            {
                zone ??= TimeSpan.FromHours(hours);
            }
            else if (token.Length == 1 && char.IsAsciiLetter(token[0]))
            {
                // RFC 5322 §4.3: military zones were defined with the wrong sign; treat them as unknown (-0000).
                zone ??= TimeSpan.Zero;
            }
        }

        if (day is null || month is null || year is null || !sawTime || year is < 1 or > 9999)
        {
            return null;
        }

        if (day > DateTime.DaysInMonth(year.Value, month.Value))
        {
            return null;
        }

        return new DateTimeOffset(year.Value, month.Value, day.Value, hour, minute, second, zone ?? TimeSpan.Zero);
    }

    /// <summary>Writes the tokens of <paramref name="text"/> into <paramref name="tokens"/>; returns how many.</summary>
    private static int Tokenize(string text, Span<(int Start, int Length)> tokens)
    {
        int count = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '(')
            {
                ParameterParser.SkipWhitespaceAndComments(text, ref i);
                continue;
            }

            if (char.IsWhiteSpace(c) || c == ',')
            {
                i++;
                continue;
            }

            int start = i;
            int end = text.AsSpan(i).IndexOfAny(s_tokenEnd);
            i = end < 0 ? text.Length : i + end;

            ReadOnlySpan<char> token = text.AsSpan(start, i - start);

            // "10:00:00+0200" glues the zone to the time.
            int sign = token.Contains(':') ? token[1..].IndexOfAny('+', '-') + 1 : 0;
            if (sign > 0)
            {
                tokens[count++] = (start, sign);
                tokens[count++] = (start + sign, token.Length - sign);
            }
            else if (token.TrimEnd('.') is { Length: > 0 } trimmed)
            {
                tokens[count++] = (start, trimmed.Length);
            }
        }

        return count;
    }

    private static bool TryParseTime(ReadOnlySpan<char> token, out int hour, out int minute, out int second)
    {
        hour = minute = second = 0;
        int colons = token.Count(':');
        if (colons is < 1 or > 2)
        {
            return false;
        }

        int first = token.IndexOf(':');
        ReadOnlySpan<char> hours = token[..first];
        ReadOnlySpan<char> rest = token[(first + 1)..];
        int second2 = rest.IndexOf(':');
        ReadOnlySpan<char> minutes = second2 < 0 ? rest : rest[..second2];
        ReadOnlySpan<char> seconds = second2 < 0 ? default : rest[(second2 + 1)..];

        // A trailing letter zone glued to the time ("10:00:00GMT") is ignored here; it is rare and sign-less.
        ref ReadOnlySpan<char> last = ref (colons == 1 ? ref minutes : ref seconds);
        int digits = last.IndexOfAnyExceptInRange('0', '9');
        if (digits >= 0)
        {
            last = last[..digits];
        }

        return TryParseDigits(hours, out hour) && hour < 24
            && TryParseDigits(minutes, out minute) && minute < 60
            && (colons == 1 || (TryParseDigits(seconds, out second) && second <= 60))
            && (second = Math.Min(second, 59)) >= 0;
    }

    private static int? MonthIndex(ReadOnlySpan<char> token)
    {
        if (token.Length < 3)
        {
            return null;
        }

        // Three ASCII characters are compared at once, their case bits set (which turns a letter, and only a letter,
        // into its lower case). Other characters may still fold to a month's letter (the long s to 's'), so they
        // take the comparison below.
        if (char.IsAscii(token[0]) && char.IsAscii(token[1]) && char.IsAscii(token[2]))
        {
            int month = Array.IndexOf(s_monthKeys, MonthKey(token[0], token[1], token[2]));
            return month < 0 ? null : month + 1;
        }

        for (int i = 0; i < s_months.Length; i++)
        {
            if (token.StartsWith(s_months[i], StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }

        return null;
    }

    private static int MonthKey(char first, char second, char third) => ((first | CaseBit) << 16) | ((second | CaseBit) << 8) | (third | CaseBit);

    /// <summary>
    /// <c>int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value)</c> without looking up
    /// number formats: ASCII digits only, no sign or white space, false on overflow; like it, NUL characters after
    /// the digits are accepted (.NET number parsing ignores trailing NULs).
    /// </summary>
    private static bool TryParseDigits(ReadOnlySpan<char> text, out int value)
    {
        // Date numbers are a few characters long: a plain loop beats any search set up for them.
        value = 0;
        long number = 0;
        int i = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            number = (number * 10) + (text[i] - '0');
            if (number > int.MaxValue)
            {
                return false;
            }
        }

        if (i == 0)
        {
            return false;
        }

        for (; i < text.Length; i++)
        {
            if (text[i] != '\0')
            {
                return false;
            }
        }

        value = (int)number;
        return true;
    }
}
