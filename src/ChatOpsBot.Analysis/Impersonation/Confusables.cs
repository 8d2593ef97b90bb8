using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>
/// Folding and visual skeletons for names and domains, after Unicode TR39 (confusables) but compact:
/// NFKD (full-width letters, mathematical alphanumerics, ligatures, Roman numerals), diacritics and invisible
/// characters removed, Cyrillic/Greek/IPA letters that look like a Latin letter mapped to it, then lower case,
/// then the ASCII look-alikes <c>0→o</c>, <c>1→l</c>, <c>|→l</c>, <c>m→rn</c>, <c>w→vv</c>.
/// </summary>
/// <remarks>
/// Multi-letter look-alikes are expanded (<c>m</c> becomes <c>rn</c>) as TR39 does, rather than contracted:
/// the skeleton is then a per-character mapping, so replacing any letter by one of its look-alikes never changes it.
/// Homoglyphs are mapped before lower-casing because case matters for them: Cyrillic <c>В</c> looks like B,
/// its lower case <c>в</c> looks like no Latin letter. docs/vip-check.md lists the table's scope.
/// </remarks>
internal static class Confusables
{
    // Code point → Latin look-alike. Sources: Unicode TR39 confusables.txt entries whose prototype is one
    // Latin letter (Greek/Cyrillic capital I-forms map to Latin 'I' so the capital-I reading below applies to all).
    private static readonly FrozenDictionary<int, string> s_homoglyphs = new Dictionary<int, string>
    {
        // Cyrillic capitals
        [0x0405] = "S", [0x0406] = "I", [0x0408] = "J", [0x0410] = "A", [0x0412] = "B", [0x0415] = "E",
        [0x041A] = "K", [0x041C] = "M", [0x041D] = "H", [0x041E] = "O", [0x0420] = "P", [0x0421] = "C",
        [0x0422] = "T", [0x0423] = "Y", [0x0425] = "X", [0x042C] = "b", [0x0474] = "V", [0x04AE] = "Y",
        [0x04C0] = "I", [0x051A] = "Q", [0x051C] = "W",

        // Cyrillic small letters
        [0x0430] = "a", [0x0433] = "r", [0x0435] = "e", [0x043E] = "o", [0x0440] = "p", [0x0441] = "c",
        [0x0443] = "y", [0x0445] = "x", [0x0455] = "s", [0x0456] = "i", [0x0458] = "j", [0x0461] = "w",
        [0x0475] = "v", [0x04AF] = "y", [0x04BB] = "h", [0x04BD] = "e", [0x04CF] = "i", [0x0501] = "d",
        [0x051B] = "q", [0x051D] = "w",

        // Greek capitals
        [0x0391] = "A", [0x0392] = "B", [0x0395] = "E", [0x0396] = "Z", [0x0397] = "H", [0x0399] = "I",
        [0x039A] = "K", [0x039C] = "M", [0x039D] = "N", [0x039F] = "O", [0x03A1] = "P", [0x03A4] = "T",
        [0x03A5] = "Y", [0x03A7] = "X", [0x037F] = "J", [0x03F9] = "C",

        // Greek small letters
        [0x03B1] = "a", [0x03B3] = "y", [0x03B9] = "i", [0x03BD] = "v", [0x03BF] = "o", [0x03C1] = "p",
        [0x03C3] = "o", [0x03C5] = "u", [0x03F1] = "p", [0x03F2] = "c", [0x03F3] = "j",

        // Latin letters outside ASCII that read as an ASCII letter
        [0x0131] = "i", [0x01C0] = "l", [0x0251] = "a", [0x0261] = "g", [0x0269] = "i", [0x026A] = "i",
        [0x026F] = "w", [0x028B] = "u", [0x028F] = "y", [0x01BD] = "s",
    }.ToFrozenDictionary();

    // Letters that NFKD does not decompose but a reader sees as a base letter with a stroke, or as two letters.
    private static readonly FrozenDictionary<char, string> s_letterFolds = new Dictionary<char, string>
    {
        ['ß'] = "ss", ['æ'] = "ae", ['œ'] = "oe", ['ø'] = "o", ['đ'] = "d", ['ð'] = "d", ['ł'] = "l",
        ['ħ'] = "h", ['ŧ'] = "t", ['ƒ'] = "f", ['ı'] = "i",
    }.ToFrozenDictionary();

    // Hangul fillers and the Braille blank render as nothing but are letters/symbols, so category checks miss them.
    private static readonly FrozenSet<int> s_invisibleLetters = new[] { 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800 }.ToFrozenSet();

    /// <summary>
    /// Case-insensitive, diacritic-insensitive form without look-alike mapping: what a careful reader would
    /// call "the same spelling". Used for plain typo distance.
    /// </summary>
    public static string Fold(string text) => Transform(text, mapLookalikes: false, capitalIAsL: false);

    /// <summary>The visual skeleton: two strings that look alike have the same skeleton.</summary>
    /// <param name="text">Any text.</param>
    /// <param name="capitalIAsL">
    /// Read Latin capital <c>I</c> as <c>l</c> (TR39's mapping). Optional because lower-casing first would lose it,
    /// and applying it always would make "BILL" differ from "bill"; callers compare both readings.
    /// </param>
    public static string Skeleton(string text, bool capitalIAsL = false) => Transform(text, mapLookalikes: true, capitalIAsL);

    /// <summary>Whether <paramref name="text"/> has a Latin capital I (directly or as a homoglyph), so the I-as-l reading differs.</summary>
    public static bool HasCapitalI(string text) =>
        !string.Equals(Skeleton(text), Skeleton(text, capitalIAsL: true), StringComparison.Ordinal);

    private static string Transform(string text, bool mapLookalikes, bool capitalIAsL)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            return TransformAscii(text, mapLookalikes, capitalIAsL);
        }

        // Homoglyphs are looked up before and after compatibility decomposition: NFKD turns some of them into
        // letters that look different (Greek lunate sigma ϲ becomes final sigma ς) and others into ones in the table
        // (mathematical alpha becomes α).
        string wellFormed = text.Any(char.IsSurrogate) ? ReplaceLoneSurrogates(text) : text;
        string decomposed = (mapLookalikes ? MapHomoglyphs(wellFormed.Normalize(NormalizationForm.FormD)) : wellFormed).Normalize(NormalizationForm.FormKD);
        var result = new StringBuilder(decomposed.Length);
        foreach (Rune rune in decomposed.EnumerateRunes())
        {
            if (IsInvisible(rune))
            {
                continue;
            }

            string mapped = mapLookalikes && s_homoglyphs.TryGetValue(rune.Value, out string? latin) ? latin : rune.ToString();
            if (capitalIAsL && mapped == "I")
            {
                mapped = "l";
            }

            foreach (Rune mappedRune in mapped.EnumerateRunes())
            {
                AppendLowered(result, Rune.ToLowerInvariant(mappedRune), mapLookalikes);
            }
        }

        return result.ToString();
    }

    // Domains and most names are ASCII: NFKD and the homoglyph table are identities there, so skip the Unicode work.
    private static string TransformAscii(string text, bool mapLookalikes, bool capitalIAsL)
    {
        var result = new StringBuilder(text.Length + 4);
        foreach (char c in text)
        {
            char lowered = capitalIAsL && c == 'I' ? 'l' : char.ToLowerInvariant(c);
            if (mapLookalikes && AsciiLookalike(lowered) is { } lookalike)
            {
                result.Append(lookalike);
            }
            else
            {
                result.Append(lowered);
            }
        }

        return result.ToString();
    }

    // string.Normalize throws on a lone surrogate; text from mail or JSON escapes can contain one.
    private static string ReplaceLoneSurrogates(string text)
    {
        var wellFormed = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            wellFormed.Append(rune.ToString());
        }

        return wellFormed.ToString();
    }

    private static string MapHomoglyphs(string text)
    {
        var mapped = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            mapped.Append(s_homoglyphs.TryGetValue(rune.Value, out string? latin) ? latin : rune.ToString());
        }

        return mapped.ToString();
    }

    private static void AppendLowered(StringBuilder result, Rune rune, bool mapLookalikes)
    {
        if (!rune.IsBmp)
        {
            result.Append(rune.ToString());
            return;
        }

        char c = (char)rune.Value;
        string folded = s_letterFolds.TryGetValue(c, out string? fold) ? fold : rune.ToString();
        if (!mapLookalikes)
        {
            result.Append(folded);
            return;
        }

        foreach (char f in folded)
        {
            if (AsciiLookalike(f) is { } lookalike)
            {
                result.Append(lookalike);
            }
            else
            {
                result.Append(f);
            }
        }
    }

    // Applied after lower-casing, so the table is in lower case.
    private static string? AsciiLookalike(char c) => c switch
    {
        '0' => "o",
        '1' or '|' => "l",
        'm' => "rn",
        'w' => "vv",
        _ => null,
    };

    private static bool IsInvisible(Rune rune)
    {
        UnicodeCategory category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            || s_invisibleLetters.Contains(rune.Value);
    }
}
