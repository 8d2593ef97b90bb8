namespace ChatOpsBot.Commands.Parsing;

/// <summary>
/// A URL typed by an analyst, who often pastes it defanged (<c>hxxps://evil[.]example</c>) or in angle brackets:
/// refanged, checked to be one absolute http(s) URL, and bounded.
/// </summary>
internal static class UrlArgument
{
    public const int MaxChars = 4096;

    /// <summary>The URL, or null with the problem to show.</summary>
    public static (string? Url, string? Problem) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim().TrimStart('<').TrimEnd('>').Trim();
        if (value.Length == 0)
        {
            return (null, "Give the URL.");
        }

        if (value.Length > MaxChars)
        {
            return (null, $"That URL is longer than {MaxChars:N0} characters.");
        }

        value = Refang(value);
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return (null, "A URL cannot contain spaces or control characters.");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return (null, "That is not an http or https URL (like https://example.com/path).");
        }

        return (value, null);
    }

    private static string Refang(string value)
    {
        string text = value.Replace("[.]", ".", StringComparison.Ordinal).Replace("(.)", ".", StringComparison.Ordinal)
            .Replace("[:]", ":", StringComparison.Ordinal).Replace("[://]", "://", StringComparison.Ordinal);
        foreach ((string defanged, string scheme) in (ReadOnlySpan<(string, string)>)[("hxxps://", "https://"), ("hxxp://", "http://")])
        {
            if (text.StartsWith(defanged, StringComparison.OrdinalIgnoreCase))
            {
                return scheme + text[defanged.Length..];
            }
        }

        return text;
    }
}
