namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// The UTC calendar day of a Mimecast record time. Records carry <c>yyyy-MM-ddTHH:mm:ss+0000</c>; RFC 3339 forms
/// (<c>Z</c>, <c>±HH:MM</c>, fractional seconds) and a bare <c>yyyy-MM-dd</c> are accepted too, and a non-zero offset
/// is converted to UTC before the day is taken, so every record lands on the day Mimecast's own UTC clock says.
/// </summary>
internal static class MimecastTimestamp
{
    /// <summary>Writes <c>yyyy-MM-dd</c> (10 ASCII bytes) to <paramref name="destination"/>.</summary>
    public static bool TryGetUtcDate(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        if (!TryParse(text, out DateTime utc))
        {
            return false;
        }

        return utc.TryFormat(destination, out int written, "yyyy'-'MM'-'dd", System.Globalization.CultureInfo.InvariantCulture) && written == 10;
    }

    private static bool TryParse(ReadOnlySpan<byte> text, out DateTime utc)
    {
        utc = default;
        if (text.Length < 10
            || !TryDigits(text[..4], out int year)
            || text[4] != '-'
            || !TryDigits(text.Slice(5, 2), out int month)
            || text[7] != '-'
            || !TryDigits(text.Slice(8, 2), out int day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (text.Length == 10)
        {
            utc = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
            return true;
        }

        if (text.Length < 19
            || (text[10] != 'T' && text[10] != ' ')
            || !TryDigits(text.Slice(11, 2), out int hour)
            || text[13] != ':'
            || !TryDigits(text.Slice(14, 2), out int minute)
            || text[16] != ':'
            || !TryDigits(text.Slice(17, 2), out int second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = text[19..];
        if (!rest.IsEmpty && rest[0] == '.')
        {
            int fraction = 1;
            while (fraction < rest.Length && char.IsAsciiDigit((char)rest[fraction]))
            {
                fraction++;
            }

            if (fraction == 1)
            {
                return false;
            }

            rest = rest[fraction..];
        }

        if (!TryOffset(rest, out TimeSpan offset))
        {
            return false;
        }

        DateTime local = new(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        long ticks = local.Ticks - offset.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool TryOffset(ReadOnlySpan<byte> zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone.IsEmpty || (zone.Length == 1 && (zone[0] == 'Z' || zone[0] == 'z')))
        {
            return true;
        }

        if (zone[0] != '+' && zone[0] != '-')
        {
            return false;
        }

        ReadOnlySpan<byte> minuteDigits;
        if (zone.Length == 5)
        {
            minuteDigits = zone.Slice(3, 2);
        }
        else if (zone.Length == 6 && zone[3] == ':')
        {
            minuteDigits = zone.Slice(4, 2);
        }
        else
        {
            return false;
        }

        if (!TryDigits(zone.Slice(1, 2), out int hours) || !TryDigits(minuteDigits, out int minutes) || hours > 23 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (zone[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
