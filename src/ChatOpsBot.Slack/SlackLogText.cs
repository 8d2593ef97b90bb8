using System.Globalization;
using System.Text;

namespace ChatOpsBot.Slack;

/// <summary>Values from Slack or its senders made safe for one log line: printable, one line, bounded (for the host glue too).</summary>
public static class SlackLogText
{
    /// <summary>
    /// <paramref name="value"/> with every character that could forge or hide log text (controls, line and paragraph
    /// separators, and format characters: bidi overrides, zero-width and tag characters) shown as '?', a lone surrogate
    /// too; other characters, emoji included, kept whole; cut to <paramref name="maxChars"/> UTF-16 units with "…".
    /// </summary>
    public static string Safe(string? value, int maxChars = 80)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "(none)";
        }

        var builder = new StringBuilder(Math.Min(value.Length, maxChars) + 1);
        for (int i = 0; i < value.Length;)
        {
            // A lone surrogate is not a rune: it is replaced, and the scan moves on by one unit.
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                rune = new Rune('?');
            }

            if (builder.Length + rune.Utf16SequenceLength > maxChars)
            {
                builder.Append('…');
                break;
            }

            bool hidesOrForges = Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune)
                is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
            builder.Append(hidesOrForges ? "?" : rune.ToString());
            i += consumed;
        }

        return builder.ToString();
    }

    /// <summary>
    /// The host of <paramref name="uri"/> as it goes on the wire (punycode), lower case, without a trailing dot; null
    /// when the name is not a valid IDN (<see cref="Uri.IdnHost"/> throws for some such names).
    /// </summary>
    public static string? WireHost(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        try
        {
            return uri.IdnHost.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
