using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatOpsBot.Cli.AnalyzeEmail;

/// <summary>
/// Makes message content safe to show: control characters (terminal escape sequences), bidirectional overrides
/// and zero-width characters become visible <c>\u{XXXX}</c> escapes, so a subject cannot rewrite the analyst's
/// terminal or reorder what it displays; URL schemes in free text are defanged so nothing is clickable.
/// </summary>
internal static partial class SafeText
{
    public static string Clean(string? text, int maxLength = 2000, bool keepLineBreaks = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 16);
        foreach (char c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            if (keepLineBreaks && c is '\n' or '\t')
            {
                builder.Append(c);
                continue;
            }

            if (keepLineBreaks && c == '\r')
            {
                continue;
            }

            bool hide = char.IsControl(c)
                || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format
                || c is '\u2028' or '\u2029';
            if (hide)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{{{(int)c:X4}}}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Like <see cref="Clean"/> and also defangs any <c>scheme://</c> inside free text (finding reasons).</summary>
    public static string CleanProse(string? text, int maxLength = 2000, bool keepLineBreaks = false) => Scheme().Replace(Clean(text, maxLength, keepLineBreaks), m => m.Value.Replace("t", "x", StringComparison.OrdinalIgnoreCase).Replace("://", "[://]", StringComparison.Ordinal));

    [GeneratedRegex(@"\b(?:https?|ftp)://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Scheme();
}
