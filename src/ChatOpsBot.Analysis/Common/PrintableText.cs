using System.Globalization;
using System.Text;

namespace ChatOpsBot.Analysis.Common;

/// <summary>
/// Makes untrusted text (from mail, log exports, configuration) safe to print on one terminal line: a newline, Unicode
/// line separator or control character could split an error or report line or forge one of its own, and a bidi
/// override or zero-width character could reorder or hide what the analyst reads.
/// </summary>
public static class PrintableText
{
    /// <summary>
    /// <paramref name="text"/> with control, format and line-separator characters replaced by a space, cut to at most
    /// <paramref name="maxChars"/> characters (marked with "...") without splitting a surrogate pair.
    /// </summary>
    public static string OneLine(string text, int maxChars = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = new StringBuilder((int)Math.Min((long)text.Length, maxChars) + 3);
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (line.Length + rune.Utf16SequenceLength > maxChars)
            {
                return line.Append("...").ToString();
            }

            bool unsafeToPrint = Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune)
                is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
            if (unsafeToPrint)
            {
                line.Append(' ');
            }
            else
            {
                line.Append(rune.ToString());
            }
        }

        return line.ToString();
    }
}
