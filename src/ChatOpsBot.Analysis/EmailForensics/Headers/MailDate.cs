using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>
/// Lenient RFC 5322 date-time parsing for Date and Received headers as real MTAs write them: optional day name,
/// two- or four-digit years, optional seconds, numeric or obsolete named zones, trailing comments such as "(PDT)".
/// </summary>
public static partial class MailDate
{
    /// <summary>Longer text is no date (a date with day name, seconds and a zone comment is about 40 characters).</summary>
    private const int MaxDateChars = 200;

    private static readonly Dictionary<string, int> s_zoneMinutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0,
        ["EST"] = -300, ["EDT"] = -240, ["CST"] = -360, ["CDT"] = -300,
        ["MST"] = -420, ["MDT"] = -360, ["PST"] = -480, ["PDT"] = -420,
        ["CET"] = 60, ["CEST"] = 120, ["BST"] = 60, ["IST"] = 330, ["JST"] = 540,
    };

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> s_zoneMinutesBySpan =
        s_zoneMinutes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly string[] s_months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Returns the instant, or null when <paramref name="text"/> holds no recognisable date.</summary>
    public static DateTimeOffset? TryParse(string? text) => text is null ? null : TryParse(text.AsSpan());

    /// <inheritdoc cref="TryParse(string?)"/>
    /// <remarks>A date inside a longer header (a Received value's tail) is read in place, without a substring.</remarks>
    internal static DateTimeOffset? TryParse(ReadOnlySpan<char> text)
    {
        if (text.IsWhiteSpace() || text.Length > MaxDateChars)
        {
            return null;
        }

        // Headers are ASCII nearly always: they are read by hand, with exactly the matches of the pattern (which the
        // tests check against the pattern). Anything else goes through the pattern itself.
        if (!Ascii.IsValid(text))
        {
            return TryParseWithPattern(text.ToString());
        }

        return AsciiDate.Find(text) is { } fields ? FromFields(text, fields) : TryParseIso(text);
    }

    /// <summary>The original, pattern-based parse: the reference the hand-written ASCII matcher is tested against.</summary>
    internal static DateTimeOffset? TryParseWithPattern(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxDateChars)
        {
            return null;
        }

        Match match = DatePattern().Match(text);
        if (!match.Success)
        {
            return TryParseIso(text);
        }

        Group second = match.Groups["second"];
        Group zone = match.Groups["zone"];
        var fields = new DateFields(
            Range(match.Groups["day"]), match.Groups["month"].Index, Range(match.Groups["year"]), Range(match.Groups["hour"]),
            Range(match.Groups["minute"]), second.Success ? Range(second) : null, zone.Success ? Range(zone) : null);
        return FromFields(text, fields);

        static Range Range(Group group) => new(group.Index, group.Index + group.Length);
    }

    private static DateTimeOffset? FromFields(ReadOnlySpan<char> text, DateFields fields)
    {
        ReadOnlySpan<char> yearDigits = text[fields.Year];

        // The pattern's \d is any Unicode digit; only ASCII digits are read as numbers (other scripts' digits
        // used to throw from int.Parse here, which let a crafted header stop the whole analysis).
        int day = ParseDigits(text[fields.Day]);
        int month = MonthNumber(text.Slice(fields.MonthStart, 3));
        int year = ParseDigits(yearDigits);
        int hour = ParseDigits(text[fields.Hour]);
        int minute = ParseDigits(text[fields.Minute]);
        int second = fields.Second is { } secondRange ? ParseDigits(text[secondRange]) : 0;
        int? offsetMinutes = ZoneMinutes(fields.Zone is { } zoneRange ? text[zoneRange] : []);
        if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || offsetMinutes is not { } offset)
        {
            return null;
        }

        if (yearDigits.Length == 2)
        {
            year += year < 50 ? 2000 : 1900;
        }
        else if (yearDigits.Length == 3)
        {
            year += 1900;
        }

        if (month < 1 || year < 1 || year > 9999 || hour > 23 || minute > 59 || second > 60
            || day < 1 || day > DateTime.DaysInMonth(year, month) || Math.Abs(offset) >= 14 * 60)
        {
            return null;
        }

        // A leap second (":60") is folded into the next second rather than rejected.
        var local = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeSpan.FromMinutes(offset));
    }

    /// <summary>1-12 for a month abbreviation in any case (lower-cased as <see cref="string.ToLowerInvariant()"/> would), else 0.</summary>
    private static int MonthNumber(ReadOnlySpan<char> abbreviation)
    {
        Span<char> lower = stackalloc char[3];
        abbreviation.ToLowerInvariant(lower);
        for (int i = 0; i < s_months.Length; i++)
        {
            if (lower.SequenceEqual(s_months[i]))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>The value of a run of ASCII digits, or -1 when a character is not one.</summary>
    private static int ParseDigits(ReadOnlySpan<char> digits)
    {
        int value = 0;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }

    private static DateTimeOffset? TryParseIso(ReadOnlySpan<char> text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
        && IsoPattern().IsMatch(text)
            ? parsed
            : null;

    /// <summary>The zone's offset: 0 when absent or unknown, null when numeric with non-ASCII digits.</summary>
    private static int? ZoneMinutes(ReadOnlySpan<char> zone)
    {
        if (zone.IsEmpty)
        {
            return 0;
        }

        if (zone[0] is '+' or '-')
        {
            int hours = ParseDigits(zone.Slice(1, 2));
            int minutes = ParseDigits(zone.Slice(3, 2));
            if (hours < 0 || minutes < 0)
            {
                return null;
            }

            int total = (hours * 60) + minutes;
            return zone[0] == '-' ? -total : total;
        }

        return s_zoneMinutesBySpan.TryGetValue(zone, out int named) ? named : 0;
    }

    /// <summary>Where the parts of a date are in the text (the groups of <see cref="DatePattern"/>).</summary>
    private readonly record struct DateFields(Range Day, int MonthStart, Range Year, Range Hour, Range Minute, Range? Second, Range? Zone);

    /// <summary>
    /// <see cref="DatePattern"/> matched by hand on ASCII text: the leftmost match, with the groups the pattern's
    /// backtracking would give. On ASCII, <c>\d</c> is [0-9], <c>\s</c> is tab, LF, VT, FF, CR and space, the
    /// letters (case-insensitive) are [A-Za-z] and a word character (for <c>\b</c>) is [A-Za-z0-9_].
    /// </summary>
    private static class AsciiDate
    {
        public static DateFields? Find(ReadOnlySpan<char> text)
        {
            for (int start = 0; start < text.Length; start++)
            {
                if (!char.IsAsciiDigit(text[start]))
                {
                    continue;
                }

                // day: \d{1,2}, the longer first.
                int longest = start + 1 < text.Length && char.IsAsciiDigit(text[start + 1]) ? 2 : 1;
                for (int dayLength = longest; dayLength >= 1; dayLength--)
                {
                    if (MatchAt(text, start, dayLength) is { } fields)
                    {
                        return fields;
                    }
                }
            }

            return null;
        }

        private static DateFields? MatchAt(ReadOnlySpan<char> text, int start, int dayLength)
        {
            int position = start + dayLength;
            if (!Separator(text, ref position))
            {
                return null;
            }

            // month: one of twelve names, then [a-z]* and an optional dot.
            int monthStart = position;
            if (position + 3 > text.Length || !IsMonth(text.Slice(position, 3)))
            {
                return null;
            }

            position += 3;
            while (position < text.Length && char.IsAsciiLetter(text[position]))
            {
                position++;
            }

            if (position < text.Length && text[position] == '.')
            {
                position++;
            }

            if (!Separator(text, ref position))
            {
                return null;
            }

            // year: \d{2,4} then \s+ (a fifth digit leaves no way to reach the white space).
            int yearStart = position;
            int yearEnd = DigitsEnd(text, position);
            if (yearEnd - yearStart is < 2 or > 4)
            {
                return null;
            }

            position = WhiteSpaceEnd(text, yearEnd);
            if (position == yearEnd)
            {
                return null;
            }

            // hour: \d{1,2} then ':'; minute: \d{2}.
            int hourStart = position;
            int hourEnd = DigitsEnd(text, position);
            if (hourEnd - hourStart is < 1 or > 2 || hourEnd >= text.Length || text[hourEnd] != ':')
            {
                return null;
            }

            int minuteStart = hourEnd + 1;
            if (minuteStart + 2 > text.Length || !char.IsAsciiDigit(text[minuteStart]) || !char.IsAsciiDigit(text[minuteStart + 1]))
            {
                return null;
            }

            position = minuteStart + 2;

            // Everything from here on is optional, so the greedy choices are the match.
            Range? second = null;
            if (position + 3 <= text.Length && text[position] == ':' && char.IsAsciiDigit(text[position + 1]) && char.IsAsciiDigit(text[position + 2]))
            {
                second = new Range(position + 1, position + 3);
                position += 3;
            }

            if (position + 1 < text.Length && text[position] == '.' && char.IsAsciiDigit(text[position + 1]))
            {
                position = DigitsEnd(text, position + 1);
            }

            position = WhiteSpaceEnd(text, position);
            return new DateFields(new Range(start, start + dayLength), monthStart, new Range(yearStart, yearEnd), new Range(hourStart, hourEnd),
                new Range(minuteStart, minuteStart + 2), second, Zone(text, position));
        }

        /// <summary>
        /// <c>\s*[ -]\s*</c>: white space then a '-' (and white space), else white space holding a space. When a '-'
        /// follows the white space, ending the separator before it cannot lead to a match (a letter or digit must follow).
        /// </summary>
        private static bool Separator(ReadOnlySpan<char> text, ref int position)
        {
            int end = WhiteSpaceEnd(text, position);
            if (end < text.Length && text[end] == '-')
            {
                position = WhiteSpaceEnd(text, end + 1);
                return true;
            }

            if (text[position..end].Contains(' '))
            {
                position = end;
                return true;
            }

            return false;
        }

        /// <summary><c>(?&lt;zone&gt;[+-]\d{4}|[A-Za-z]{1,5}\b)?</c> at <paramref name="position"/>.</summary>
        private static Range? Zone(ReadOnlySpan<char> text, int position)
        {
            if (position >= text.Length)
            {
                return null;
            }

            if (text[position] is '+' or '-')
            {
                return DigitsEnd(text, position + 1) - (position + 1) >= 4 ? new Range(position, position + 5) : null;
            }

            int end = position;
            while (end < text.Length && char.IsAsciiLetter(text[end]))
            {
                end++;
            }

            // Up to five letters that end a word; a longer run (or one followed by a digit or '_') gives no zone.
            bool endsWord = end == text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_');
            return end - position is >= 1 and <= 5 && endsWord ? new Range(position, end) : null;
        }

        private static bool IsMonth(ReadOnlySpan<char> name)
        {
            foreach (string month in s_months)
            {
                if (name.Equals(month, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        private static int DigitsEnd(ReadOnlySpan<char> text, int position)
        {
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            return position;
        }

        private static int WhiteSpaceEnd(ReadOnlySpan<char> text, int position)
        {
            while (position < text.Length && text[position] is '\t' or '\n' or '\v' or '\f' or '\r' or ' ')
            {
                position++;
            }

            return position;
        }
    }

    [GeneratedRegex(
        @"(?<day>\d{1,2})\s*[ -]\s*(?<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*[ -]\s*(?<year>\d{2,4})\s+(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?(?:\.\d+)?\s*(?<zone>[+-]\d{4}|[A-Za-z]{1,5}\b)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex DatePatternGenerated();

    private static Regex DatePattern() => AnalysisRegex.Apply(DatePatternGenerated());

    [GeneratedRegex(@"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex IsoPatternGenerated();

    private static Regex IsoPattern() => AnalysisRegex.Apply(IsoPatternGenerated());
}
