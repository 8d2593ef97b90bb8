using System.Runtime.CompilerServices;
using System.Text;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// The seed's view of a record: one of its four threat categories, <c>clean</c>, or anything else
/// (<c>spam</c>, empty, unknown), which counts towards totals and targeted users but is not a threat.
/// </summary>
internal enum ThreatCategory : byte
{
    Other = 0,
    Clean,
    UrlThreat,
    AttachmentThreat,
    Impersonation,
    InternalThreat,
}

/// <summary>
/// Classifies a seed export's <c>category</c> exactly as <c>category.lower()</c> followed by the seed's string
/// comparisons, working on the raw UTF-8 bytes so that no string is allocated per record.
/// </summary>
internal static class SeedCategory
{
    // U+212A KELVIN SIGN is the only non-ASCII code point whose Python lower() is pure ASCII ('k'); U+0130 lowers to
    // "i" + U+0307, which can never equal an ASCII category. So a non-ASCII category matches only through the Kelvin sign.
    private const char KelvinSign = '\u212A';

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ThreatCategory Classify(ReadOnlySpan<byte> utf8)
    {
        // Longest category is "impersonation_detected" (22 ASCII letters); a Kelvin sign takes 3 UTF-8 bytes for 1 letter.
        if (utf8.Length < 5 || utf8.Length > 66)
        {
            return ThreatCategory.Other;
        }

        if (Ascii.IsValid(utf8))
        {
            return ClassifyAscii(utf8);
        }

        return ClassifyWithKelvinSign(utf8);
    }

    private static ThreatCategory ClassifyAscii(ReadOnlySpan<byte> ascii) => ascii.Length switch
    {
        5 when Ascii.EqualsIgnoreCase(ascii, "clean"u8) => ThreatCategory.Clean,
        10 when Ascii.EqualsIgnoreCase(ascii, "url_threat"u8) => ThreatCategory.UrlThreat,
        11 when Ascii.EqualsIgnoreCase(ascii, "url_blocked"u8) => ThreatCategory.UrlThreat,
        13 when Ascii.EqualsIgnoreCase(ascii, "impersonation"u8) => ThreatCategory.Impersonation,
        15 when Ascii.EqualsIgnoreCase(ascii, "internal_threat"u8) => ThreatCategory.InternalThreat,
        17 when Ascii.EqualsIgnoreCase(ascii, "attachment_threat"u8) => ThreatCategory.AttachmentThreat,
        18 when Ascii.EqualsIgnoreCase(ascii, "attachment_blocked"u8) => ThreatCategory.AttachmentThreat,
        22 when Ascii.EqualsIgnoreCase(ascii, "impersonation_detected"u8) => ThreatCategory.Impersonation,
        _ => ThreatCategory.Other,
    };

    private static ThreatCategory ClassifyWithKelvinSign(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[66];
        if (Encoding.UTF8.GetCharCount(utf8) > chars.Length)
        {
            return ThreatCategory.Other;
        }

        int length = Encoding.UTF8.GetChars(utf8, chars);
        Span<byte> ascii = stackalloc byte[length];
        for (int i = 0; i < length; i++)
        {
            char c = chars[i];
            if (c == KelvinSign)
            {
                c = 'k';
            }
            else if (!char.IsAscii(c))
            {
                return ThreatCategory.Other;
            }

            ascii[i] = (byte)c;
        }

        return ClassifyAscii(ascii);
    }
}
