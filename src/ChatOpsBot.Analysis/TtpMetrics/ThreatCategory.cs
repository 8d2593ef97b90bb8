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

    /// <remarks><paramref name="utf8"/> must be valid UTF-8 when it is not ASCII.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ThreatCategory Classify(ReadOnlySpan<byte> utf8)
    {
        ThreatCategory category = ClassifyAscii(utf8);

        // Longest category is "impersonation_detected" (22 letters); a Kelvin sign takes 3 UTF-8 bytes for 1 letter.
        if (category != ThreatCategory.Other || utf8.Length < 5 || utf8.Length > 66 || !ContainsNonAscii(utf8))
        {
            return category;
        }

        return ClassifyWithKelvinSign(utf8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ContainsNonAscii(ReadOnlySpan<byte> utf8)
    {
        foreach (byte b in utf8)
        {
            if (b >= 0x80)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>ASCII case-insensitive equality with a lower-case ASCII constant; any non-ASCII byte differs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool EqualsLowerAscii(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lower)
    {
        if (text.Length != lower.Length)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            uint b = text[i];
            if (b - 'A' <= 'Z' - 'A')
            {
                b |= 0x20;
            }

            if (b != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ThreatCategory ClassifyAscii(ReadOnlySpan<byte> text) => text.Length switch
    {
        5 when EqualsLowerAscii(text, "clean"u8) => ThreatCategory.Clean,
        10 when EqualsLowerAscii(text, "url_threat"u8) => ThreatCategory.UrlThreat,
        11 when EqualsLowerAscii(text, "url_blocked"u8) => ThreatCategory.UrlThreat,
        13 when EqualsLowerAscii(text, "impersonation"u8) => ThreatCategory.Impersonation,
        15 when EqualsLowerAscii(text, "internal_threat"u8) => ThreatCategory.InternalThreat,
        17 when EqualsLowerAscii(text, "attachment_threat"u8) => ThreatCategory.AttachmentThreat,
        18 when EqualsLowerAscii(text, "attachment_blocked"u8) => ThreatCategory.AttachmentThreat,
        22 when EqualsLowerAscii(text, "impersonation_detected"u8) => ThreatCategory.Impersonation,
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
