using System.Text;
using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.Common;

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
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            if (keepLineBreaks && rune.Value is '\n' or '\t')
            {
                builder.Append((char)rune.Value);
                continue;
            }

            if (keepLineBreaks && rune.Value == '\r')
            {
                continue;
            }

            // By rune, not by char: invisible characters outside the BMP (Unicode tags U+E0000..E007F, which can
            // smuggle hidden text) are Format only as a whole code point; a lone surrogate becomes U+FFFD.
            if (InvisibleText.IsHidden(rune))
            {
                InvisibleText.AppendEscaped(builder, rune);
            }
            else
            {
                builder.Append(rune);
            }
        }

        return builder.ToString();
    }

    /// <summary>Like <see cref="Clean"/> and also defangs any <c>scheme://</c> inside free text (finding reasons).</summary>
    public static string CleanProse(string? text, int maxLength = 2000, bool keepLineBreaks = false) => Scheme().Replace(Clean(text, maxLength, keepLineBreaks), m => m.Value.Replace("t", "x", StringComparison.OrdinalIgnoreCase).Replace("://", "[://]", StringComparison.Ordinal));

    [GeneratedRegex(@"\b(?:https?|ftp)://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Scheme();
}
