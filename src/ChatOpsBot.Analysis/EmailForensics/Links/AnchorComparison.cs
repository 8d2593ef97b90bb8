using ChatOpsBot.Analysis.Common;
namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>
/// Flags link text that shows one domain while the link goes to another ("paypal.com" linking to evil.example).
/// Text that names no domain ("Click here") is never flagged, and neither is text naming the same registrable domain
/// (www.paypal.com linking to paypal.com/signin).
/// </summary>
internal static class AnchorComparison
{
    // Character sets as static arrays: an array literal argument (params char[] or a collection expression) allocates a
    // new array, filled from its metadata, at every call.
    private static readonly char[] s_tokenPunctuation = ['(', ')', '[', ']', '<', '>', '"', '\'', ',', ';', '!', '?', '.', ':'];

    public static Finding? Compare(string displayText, string? destinationHost)
    {
        if (destinationHost is null)
        {
            return null;
        }

        string? shown = DomainShownIn(displayText);
        if (shown is null)
        {
            return null;
        }

        string shownDomain = HostAnalysis.RegistrableDomain(shown);
        string destinationDomain = HostAnalysis.RegistrableDomain(destinationHost.TrimEnd('.'));
        if (string.Equals(shownDomain, destinationDomain, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new Finding("url.anchor-mismatch", FindingSeverity.High,
            $"Link text shows {shown} but the link goes to {destinationHost}.");
    }

    /// <summary>The first host named in link text (as a URL, a bare domain or an e-mail address), or null.</summary>
    public static string? DomainShownIn(string text)
    {
        int examined = 0;
        foreach (string rawToken in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (examined++ >= 32)
            {
                break;
            }

            string token = PlainTextUrlScanner.Refang(rawToken.Trim(s_tokenPunctuation));
            if (token.Contains("://", StringComparison.Ordinal))
            {
                if (ParsedUrl.TryParse(token, out ParsedUrl url))
                {
                    return url.DisplayHost.TrimEnd('.');
                }

                continue;
            }

            int at = token.LastIndexOf('@');
            bool email = at >= 0;
            string candidate = email ? token[(at + 1)..] : token;
            int slash = candidate.AsSpan().IndexOfAny('/', '?', '#');
            if (slash >= 0)
            {
                candidate = candidate[..slash];
            }

            if (LooksLikeDomain(candidate, explicitHost: email || slash >= 0 || candidate.StartsWith("www.", StringComparison.OrdinalIgnoreCase)))
            {
                return candidate.ToLowerInvariant();
            }
        }

        return null;
    }

    private static bool LooksLikeDomain(string candidate, bool explicitHost)
    {
        string[] labels = candidate.Split('.');
        if (labels.Length < 2 || candidate.Length > 253)
        {
            return false;
        }

        foreach (string label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!char.IsLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
        }

        string tld = labels[^1];
        if (tld.Length < 2 || !tld.All(char.IsLetter))
        {
            return false;
        }

        // "invoice.pdf" in link text names a file, not a site, unless something else says it is a host.
        return explicitHost || !s_fileExtensions.Contains(tld.ToLowerInvariant());
    }

    private static readonly HashSet<string> s_fileExtensions = new(StringComparer.Ordinal)
    {
        "pdf", "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "txt", "csv", "rtf", "htm", "html", "jpg",
        "jpeg", "png", "gif", "bmp", "svg", "zip", "rar", "7z", "gz", "exe", "msi", "js", "vbs", "ps1", "bat", "cmd",
        "iso", "img", "lnk", "eml", "msg", "one", "xml", "json", "mp3", "mp4", "wav", "mov", "avi",
    };
}
