using System.Globalization;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests;

/// <summary>
/// The string-based date parser that <c>DateParser</c> replaced (kept verbatim as the reference of
/// <see cref="DateParserTests.SpanParserGivesTheSameResultAsTheStringParserItReplaced"/>).
/// Dates as real mail carries them: RFC 5322 and the obsolete forms (named zones EST/PDT/GMT/UT, military letters,
/// two-digit years), missing seconds or day name, asctime order, comments and stray whitespace.
/// </summary>
internal static class LegacyDateParser
{
    private static readonly string[] s_months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly Dictionary<string, int> s_zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0,
        ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5,
        ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
        ["CET"] = 1, ["CEST"] = 2, ["BST"] = 1, ["MET"] = 1, ["MEST"] = 2, ["EET"] = 2, ["EEST"] = 3,
        ["WET"] = 0, ["WEST"] = 1, ["JST"] = 9, ["KST"] = 9, ["IST"] = 5,
    };

    public static DateTimeOffset? Parse(string text)
    {
        if (text.Length > 256)
        {
            return null;
        }

        int? day = null;
        int? month = null;
        int? year = null;
        int hour = 0;
        int minute = 0;
        int second = 0;
        bool sawTime = false;
        TimeSpan? zone = null;
        foreach (string token in Tokenize(text))
        {
            if (token.Contains(':', StringComparison.Ordinal) && !sawTime)
            {
                if (!TryParseTime(token, out hour, out minute, out second))
                {
                    return null;
                }

                sawTime = true;
            }
            else if ((token[0] is '+' or '-') && token.Length == 5 && int.TryParse(token.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int hhmm))
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
                if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
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
            else if (s_zones.TryGetValue(token, out int hours))
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

    private static List<string> Tokenize(string text)
    {
        List<string> tokens = [];
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
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (',' or '('))
            {
                i++;
            }

            string token = text[start..i];

            // "10:00:00+0200" glues the zone to the time.
            int sign = token.Contains(':', StringComparison.Ordinal) ? token.AsSpan(1).IndexOfAny('+', '-') + 1 : 0;
            if (sign > 0)
            {
                tokens.Add(token[..sign]);
                tokens.Add(token[sign..]);
            }
            else if (token.TrimEnd('.') is { Length: > 0 } trimmed)
            {
                tokens.Add(trimmed);
            }
        }

        return tokens;
    }

    private static bool TryParseTime(string token, out int hour, out int minute, out int second)
    {
        hour = minute = second = 0;
        string[] pieces = token.Split(':');
        if (pieces.Length is < 2 or > 3)
        {
            return false;
        }

        // A trailing letter zone glued to the time ("10:00:00GMT") is ignored here; it is rare and sign-less.
        int digits = pieces[^1].AsSpan().IndexOfAnyExceptInRange('0', '9');
        if (digits >= 0)
        {
            pieces[^1] = pieces[^1][..digits];
        }

        return int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out hour) && hour < 24
            && int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out minute) && minute < 60
            && (pieces.Length == 2 || (int.TryParse(pieces[2], NumberStyles.None, CultureInfo.InvariantCulture, out second) && second <= 60))
            && (second = Math.Min(second, 59)) >= 0;
    }

    private static int? MonthIndex(string token)
    {
        if (token.Length < 3)
        {
            return null;
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
}
