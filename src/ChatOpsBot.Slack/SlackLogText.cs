using System.Text;

namespace ChatOpsBot.Slack;

/// <summary>Values from Slack or its senders made safe for one log line: printable, one line, bounded (for the host glue too).</summary>
public static class SlackLogText
{
    public static string Safe(string? value, int maxChars = 80)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "(none)";
        }

        var builder = new StringBuilder(Math.Min(value.Length, maxChars) + 1);
        foreach (char c in value)
        {
            if (builder.Length >= maxChars)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') ? '?' : c);
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
