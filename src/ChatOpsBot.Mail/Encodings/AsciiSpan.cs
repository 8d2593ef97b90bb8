namespace ChatOpsBot.Mail;

/// <summary>
/// Trimming byte spans of a fixed set of ASCII white space. <c>MemoryExtensions.Trim(span, values)</c> searches the
/// values for every byte it looks at; these compare constants, and the parser trims once per header and per line.
/// </summary>
internal static class AsciiSpan
{
    /// <summary>Without the tab, LF, VT, FF, CR and space at both ends (what <see cref="string.Trim()"/> removes from ASCII).</summary>
    public static ReadOnlySpan<byte> TrimWhiteSpace(ReadOnlySpan<byte> span)
    {
        int start = 0;
        while (start < span.Length && IsWhiteSpace(span[start]))
        {
            start++;
        }

        int end = span.Length;
        while (end > start && IsWhiteSpace(span[end - 1]))
        {
            end--;
        }

        return span[start..end];
    }

    /// <summary>Without the spaces and tabs at the end.</summary>
    public static ReadOnlySpan<byte> TrimEndSpacesAndTabs(ReadOnlySpan<byte> span)
    {
        int end = span.Length;
        while (end > 0 && span[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return span[..end];
    }

    /// <summary>Without the spaces, tabs, CRs and LFs at the end.</summary>
    public static ReadOnlySpan<byte> TrimEndSpacesTabsAndLineBreaks(ReadOnlySpan<byte> span)
    {
        int end = span.Length;
        while (end > 0 && span[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            end--;
        }

        return span[..end];
    }

    // Tab, LF, VT, FF and CR are consecutive (9 to 13).
    private static bool IsWhiteSpace(byte b) => b == ' ' || (uint)(b - '\t') <= '\r' - '\t';
}
