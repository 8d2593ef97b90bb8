using System.Globalization;
using System.Text;

namespace ChatOpsBot.Analysis.Common;

/// <summary>
/// The characters that must not reach an analyst's screen raw (control characters, bidi overrides and isolates,
/// zero-width and other format characters, Unicode tag characters, line and paragraph separators) and the visible
/// form they are shown in instead, <c>\u{202E}</c>. Shared by the CLI's reports and the bot's cards.
/// </summary>
public static class InvisibleText
{
    /// <summary>
    /// True for a control character, a format character (bidi controls, zero-width characters, soft hyphen, Unicode
    /// tags U+E0000..E007F, which are Format only as a whole code point) or U+2028/U+2029.
    /// </summary>
    public static bool IsHidden(Rune rune) =>
        Rune.IsControl(rune)
        || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format
        || rune.Value is 0x2028 or 0x2029;

    /// <summary>Appends the visible form of <paramref name="rune"/>: <c>\u{XXXX}</c>.</summary>
    public static StringBuilder AppendEscaped(StringBuilder builder, Rune rune)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Append(CultureInfo.InvariantCulture, $"\\u{{{rune.Value:X4}}}");
    }
}
