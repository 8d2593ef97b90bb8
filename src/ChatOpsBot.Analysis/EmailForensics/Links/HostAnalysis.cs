using System.Globalization;

namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>Facts about a host name that make a link suspicious.</summary>
internal static class HostAnalysis
{
    /// <summary>
    /// Parses a host the way the WHATWG URL standard does when it ends in a number: 1-4 dot-separated parts, each
    /// decimal, 0x-hex or 0-prefixed octal, the last part filling the remaining bytes. So <c>3232235777</c>,
    /// <c>0xC0A80101</c>, <c>0300.0250.1.1</c> and <c>192.168.257</c> are all 192.168.1.1 to a browser.
    /// </summary>
    public static bool TryParseIPv4(string host, out string dotted, out bool obfuscated)
    {
        dotted = string.Empty;
        obfuscated = false;
        string[] parts = host.Split('.');
        int count = parts.Length;
        if (count > 1 && parts[^1].Length == 0)
        {
            count--;
        }

        if (count is 0 or > 4)
        {
            return false;
        }

        Span<ulong> values = stackalloc ulong[4];
        for (int i = 0; i < count; i++)
        {
            if (!TryParseIPv4Number(parts[i], out ulong value, out bool nonDecimal))
            {
                return false;
            }

            obfuscated |= nonDecimal;
            values[i] = value;
        }

        for (int i = 0; i < count - 1; i++)
        {
            if (values[i] > 255)
            {
                return false;
            }
        }

        if (values[count - 1] >= 1UL << (8 * (5 - count)))
        {
            return false;
        }

        ulong address = values[count - 1];
        for (int i = 0; i < count - 1; i++)
        {
            address += values[i] << (8 * (3 - i));
        }

        obfuscated |= count != 4;
        dotted = string.Create(CultureInfo.InvariantCulture,
            $"{(address >> 24) & 0xFF}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");
        return true;
    }

    private static bool TryParseIPv4Number(string part, out ulong value, out bool nonDecimal)
    {
        value = 0;
        nonDecimal = false;
        if (part.Length is 0 or > 34)
        {
            return false;
        }

        int radix = 10;
        ReadOnlySpan<char> digits = part;
        if (digits.Length >= 2 && digits[0] == '0' && (digits[1] | 0x20) == 'x')
        {
            radix = 16;
            digits = digits[2..];
        }
        else if (digits.Length >= 2 && digits[0] == '0')
        {
            radix = 8;
            digits = digits[1..];
        }

        nonDecimal = radix != 10;
        foreach (char c in digits)
        {
            int digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? (c | 0x20) - 'a' + 10 : 99;
            if (digit >= radix)
            {
                return false;
            }

            value = (value * (ulong)radix) + (ulong)digit;
            if (value > uint.MaxValue)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsIPv6Literal(string host) => host.StartsWith('[') && host.EndsWith(']');

    public static bool HasPunycodeLabel(string asciiHost)
    {
        foreach (string label in asciiHost.Split('.'))
        {
            if (label.StartsWith("xn--", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static bool HasNonAscii(string host)
    {
        foreach (char c in host)
        {
            if (c > 0x7F)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A label mixing scripts a single language would not (Latin with Cyrillic, Greek with Latin, ...) is the classic
    /// homograph: "pаypal" with a Cyrillic "а". Han with kana or Hangul is normal CJK writing and is not flagged.
    /// </summary>
    public static bool HasMixedScriptLabel(string unicodeHost)
    {
        foreach (string label in unicodeHost.Split('.'))
        {
            Script seen = Script.None;
            foreach (char c in label)
            {
                Script script = ScriptOf(c);
                if (script is Script.None)
                {
                    continue;
                }

                if (seen is Script.None)
                {
                    seen = script;
                }
                else if (seen != script && !AreCompatible(seen, script))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private enum Script
    {
        None,
        Latin,
        Greek,
        Cyrillic,
        Armenian,
        Hebrew,
        Arabic,
        Cjk,
        Hangul,
        Other,
    }

    private static bool AreCompatible(Script a, Script b) =>
        (a, b) is (Script.Cjk, Script.Hangul) or (Script.Hangul, Script.Cjk)
            or (Script.Cjk, Script.Latin) or (Script.Latin, Script.Cjk)
            or (Script.Hangul, Script.Latin) or (Script.Latin, Script.Hangul);

    private static Script ScriptOf(char c)
    {
        if (char.IsAsciiLetter(c))
        {
            return Script.Latin;
        }

        if (c < 0x80 || !char.IsLetter(c))
        {
            return Script.None;
        }

        return c switch
        {
            <= '\u024F' => Script.Latin,
            >= '\u1E00' and <= '\u1EFF' => Script.Latin,
            >= '\u0370' and <= '\u03FF' => Script.Greek,
            >= '\u1F00' and <= '\u1FFF' => Script.Greek,
            >= '\u0400' and <= '\u052F' => Script.Cyrillic,
            >= '\u0530' and <= '\u058F' => Script.Armenian,
            >= '\u0590' and <= '\u05FF' => Script.Hebrew,
            >= '\u0600' and <= '\u077F' => Script.Arabic,
            >= '\u3040' and <= '\u30FF' => Script.Cjk,
            >= '\u3400' and <= '\u9FFF' => Script.Cjk,
            >= '\u1100' and <= '\u11FF' => Script.Hangul,
            >= '\uAC00' and <= '\uD7AF' => Script.Hangul,
            _ => Script.Other,
        };
    }

    /// <summary>
    /// The "organisation" part of a host without a public-suffix list: the last two labels, or three when the
    /// second-to-last is a generic second level under a country code (co.uk, com.au, gov.br, ...). Good enough to
    /// tell paypal.com from paypal.com.evil.example, which is what anchor comparison needs.
    /// </summary>
    public static string RegistrableDomain(string host)
    {
        string trimmed = host.TrimEnd('.');
        string[] labels = trimmed.Split('.');
        if (labels.Length <= 2)
        {
            return trimmed;
        }

        string tld = labels[^1];
        string second = labels[^2];
        bool countrySecondLevel = tld.Length == 2 && s_genericSecondLevels.Contains(second);
        int take = countrySecondLevel ? 3 : 2;
        return string.Join('.', labels[^take..]);
    }

    private static readonly HashSet<string> s_genericSecondLevels = new(StringComparer.Ordinal)
    {
        "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "gv", "mil", "ltd", "plc", "nhs", "sch",
    };

    public static bool IsShortener(string host) => s_shorteners.Contains(host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host);

    private static readonly HashSet<string> s_shorteners = new(StringComparer.Ordinal)
    {
        "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "v.gd", "buff.ly", "rebrand.ly",
        "cutt.ly", "shorturl.at", "rb.gy", "t.ly", "tiny.cc", "bl.ink", "s.id", "lnkd.in", "qrco.de", "shorturl.gg",
        "short.io", "tiny.one", "urlz.fr", "x.co", "soo.gd", "clck.ru", "u.to", "trib.al", "surl.li", "gg.gg",
    };
}
