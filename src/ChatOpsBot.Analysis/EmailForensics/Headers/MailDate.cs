using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>
/// Lenient RFC 5322 date-time parsing for Date and Received headers as real MTAs write them: optional day name,
/// two- or four-digit years, optional seconds, numeric or obsolete named zones, trailing comments such as "(PDT)".
/// </summary>
public static partial class MailDate
{
    private static readonly Dictionary<string, int> s_zoneMinutes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0,
        ["EST"] = -300, ["EDT"] = -240, ["CST"] = -360, ["CDT"] = -300,
        ["MST"] = -420, ["MDT"] = -360, ["PST"] = -480, ["PDT"] = -420,
        ["CET"] = 60, ["CEST"] = 120, ["BST"] = 60, ["IST"] = 330, ["JST"] = 540,
    };

    private static readonly string[] s_months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Returns the instant, or null when <paramref name="text"/> holds no recognisable date.</summary>
    public static DateTimeOffset? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 200)
        {
            return null;
        }

        Match match = DatePattern().Match(text);
        if (!match.Success)
        {
            return TryParseIso(text);
        }

        int day = int.Parse(match.Groups["day"].ValueSpan, CultureInfo.InvariantCulture);
        int month = Array.IndexOf(s_months, match.Groups["month"].Value[..3].ToLowerInvariant()) + 1;
        int year = int.Parse(match.Groups["year"].ValueSpan, CultureInfo.InvariantCulture);
        if (match.Groups["year"].Length == 2)
        {
            year += year < 50 ? 2000 : 1900;
        }
        else if (match.Groups["year"].Length == 3)
        {
            year += 1900;
        }

        int hour = int.Parse(match.Groups["hour"].ValueSpan, CultureInfo.InvariantCulture);
        int minute = int.Parse(match.Groups["minute"].ValueSpan, CultureInfo.InvariantCulture);
        int second = match.Groups["second"].Success ? int.Parse(match.Groups["second"].ValueSpan, CultureInfo.InvariantCulture) : 0;
        int offsetMinutes = ZoneMinutes(match.Groups["zone"].Success ? match.Groups["zone"].Value : null);

        if (month < 1 || year < 1 || year > 9999 || hour > 23 || minute > 59 || second > 60
            || day < 1 || day > DateTime.DaysInMonth(year, month) || Math.Abs(offsetMinutes) >= 14 * 60)
        {
            return null;
        }

        // A leap second (":60") is folded into the next second rather than rejected.
        var local = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeSpan.FromMinutes(offsetMinutes));
    }

    private static DateTimeOffset? TryParseIso(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed)
        && IsoPattern().IsMatch(text)
            ? parsed
            : null;

    private static int ZoneMinutes(string? zone)
    {
        if (zone is null)
        {
            return 0;
        }

        if (zone[0] is '+' or '-')
        {
            int hours = int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture);
            int minutes = int.Parse(zone.AsSpan(3, 2), CultureInfo.InvariantCulture);
            int total = (hours * 60) + minutes;
            return zone[0] == '-' ? -total : total;
        }

        return s_zoneMinutes.GetValueOrDefault(zone, 0);
    }

    [GeneratedRegex(
        @"(?<day>\d{1,2})\s*[ -]\s*(?<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*[ -]\s*(?<year>\d{2,4})\s+(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?(?:\.\d+)?\s*(?<zone>[+-]\d{4}|[A-Za-z]{1,5}\b)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IsoPattern();
}
