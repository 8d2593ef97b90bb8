using System.Text;

namespace ChatOpsBot.BotFramework.Connector;

/// <summary>Untrusted text (ids, URLs, remote error messages) made safe for one log line or exception message.</summary>
internal static class LogText
{
    public const int DefaultMaxLength = 200;

    public static string Safe(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "(none)";
        }

        StringBuilder builder = new(Math.Min(text.Length, maxLength + 1));
        foreach (char c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator
                ? '?'
                : c);
        }

        return builder.ToString();
    }

    /// <summary>scheme://host[:port]/path of <paramref name="url"/>, without credentials, query or fragment.</summary>
    public static string Origin(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri)
            ? Safe(uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped))
            : Safe(url, 80);
}
