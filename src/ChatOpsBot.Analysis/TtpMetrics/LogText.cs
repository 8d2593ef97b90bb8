using System.Globalization;
using System.Text;

namespace ChatOpsBot.Analysis.TtpMetrics;

/// <summary>
/// Makes text taken from a log export safe to quote in a one-line error: JSON escapes such as <c>\n</c> decode to real
/// control characters, which could otherwise split the message or forge lines of their own.
/// </summary>
internal static class LogText
{
    /// <summary>
    /// <paramref name="text"/> with control, format and line-separator characters replaced by a space, cut to at most
    /// <paramref name="maxChars"/> characters (marked with "...") without splitting a surrogate pair.
    /// </summary>
    public static string OneLine(string text, int maxChars)
    {
        var line = new StringBuilder(Math.Min(text.Length, maxChars) + 3);
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
