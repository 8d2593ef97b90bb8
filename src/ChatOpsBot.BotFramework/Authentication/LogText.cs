using System.Globalization;
using System.Text;

namespace ChatOpsBot.BotFramework.Authentication;

/// <summary>
/// Untrusted strings (claims of a token that failed validation, activity ids) bound for a log line: control and format
/// characters could forge or hide log lines, and an attacker decides the length.
/// </summary>
internal static class LogText
{
    public const int MaxChars = 128;

    public static string? Safe(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var safe = new StringBuilder(Math.Min(text.Length, MaxChars) + 3);
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (safe.Length + rune.Utf16SequenceLength > MaxChars)
            {
                return safe.Append("...").ToString();
            }

            bool unsafeToPrint = Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune)
                is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
            safe.Append(unsafeToPrint ? "?" : rune.ToString());
        }

        return safe.ToString();
    }
}
