using System.Text;

namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>One layer of a link-protection rewrite.</summary>
/// <param name="Rewriter">"mimecast", "safelinks", "proofpoint" or "barracuda".</param>
/// <param name="Target">The wrapped URL, or null when the rewrite is an opaque token that only the vendor can resolve.</param>
/// <param name="DomainHint">Domain the rewriter shows in clear next to an opaque token (Mimecast <c>?domain=</c>), or null.</param>
public sealed record UrlRewrite(string Rewriter, string? Target, string? DomainHint);

/// <summary>
/// Recognises URLs rewritten by mail link-protection services and decodes those that carry their target:
/// Microsoft Safe Links (<c>*.safelinks.protection.outlook.com/?url=</c>), Proofpoint URL Defense v1/v2/v3
/// and Barracuda Link Protection (<c>linkprotect.cudasvc.com/url?a=</c>). Mimecast URL Protect links
/// (<c>protect-xx.mimecast.com/s/…</c>, <c>*.mimecastprotect.com/s/…</c>) are opaque tokens: they are recognised,
/// with the <c>?domain=</c> hint when present, and must be resolved with Mimecast's decode-url API.
/// </summary>
public static class RewrittenUrlDecoder
{
    /// <summary>
    /// True when <paramref name="url"/> is a rewrite whose target could be decoded offline. When the URL is a
    /// recognised but opaque rewrite (Mimecast), returns false with <paramref name="rewriter"/> set and
    /// <paramref name="target"/> empty; for anything else both are empty.
    /// </summary>
    public static bool TryDecode(string url, out string target, out string rewriter)
    {
        UrlRewrite? rewrite = Decode(url);
        rewriter = rewrite?.Rewriter ?? string.Empty;
        target = rewrite?.Target ?? string.Empty;
        return rewrite?.Target is not null;
    }

    /// <summary>The rewrite <paramref name="url"/> represents (one layer), or null when no known rewriter made it.</summary>
    public static UrlRewrite? Decode(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!ParsedUrl.TryParse(url.Trim(), out ParsedUrl parsed) || parsed.Scheme is not ("http" or "https"))
        {
            return null;
        }

        string host = parsed.AsciiHost.TrimEnd('.');
        if (IsHostOrSubdomainOf(host, "safelinks.protection.outlook.com")
            || IsHostOrSubdomainOf(host, "safelinks.protection.office365.us"))
        {
            return Wrapped("safelinks", parsed.QueryParameter("url"));
        }

        if (host is "urldefense.proofpoint.com" or "urldefense.com")
        {
            return DecodeProofpoint(parsed);
        }

        if (host == "linkprotect.cudasvc.com")
        {
            return Wrapped("barracuda", parsed.QueryParameter("a"));
        }

        if (IsMimecast(host))
        {
            string? domain = parsed.QueryParameter("domain");
            return new UrlRewrite("mimecast", null, string.IsNullOrWhiteSpace(domain) ? null : domain.Trim().ToLowerInvariant());
        }

        return null;
    }

    private static bool IsMimecast(string host) =>
        IsHostOrSubdomainOf(host, "mimecastprotect.com")
        || (host.EndsWith(".mimecast.com", StringComparison.Ordinal) && host.StartsWith("protect", StringComparison.Ordinal));

    private static bool IsHostOrSubdomainOf(string host, string domain) =>
        host == domain || host.EndsWith("." + domain, StringComparison.Ordinal);

    private static UrlRewrite Wrapped(string rewriter, string? target) =>
        new(rewriter, IsAbsoluteWebUrl(target) ? target!.Trim() : null, null);

    private static bool IsAbsoluteWebUrl(string? candidate) =>
        candidate is not null && ParsedUrl.TryParse(candidate.Trim(), out ParsedUrl parsed) && parsed.Scheme is "http" or "https" or "ftp";

    private static UrlRewrite DecodeProofpoint(ParsedUrl parsed)
    {
        string path = parsed.Path;
        if (path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            return Wrapped("proofpoint", parsed.QueryParameter("u"));
        }

        if (path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            // v2 escapes the percent-encoded target once more: '%' is written '-' and '/' is written '_'.
            string? encoded = parsed.QueryParameter("u", decode: false);
            string? target = encoded is null ? null : ParsedUrl.PercentDecode(encoded.Replace('-', '%').Replace('_', '/'));
            return Wrapped("proofpoint", target);
        }

        if (path.StartsWith("/v3/", StringComparison.Ordinal))
        {
            return Wrapped("proofpoint", DecodeProofpointV3(parsed.Rest));
        }

        return new UrlRewrite("proofpoint", null, null);
    }

    // v3: /v3/__<target with some characters replaced by '*' or '**X'>__;<url-safe base64 of the replaced characters>!...
    // A '*' takes the next replaced character, '**X' the next run of (2 + index of X in A-Za-z0-9-_) characters.
    private static string? DecodeProofpointV3(string rest)
    {
        const string Prefix = "/v3/__";
        if (!rest.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        int end = rest.IndexOf("__;", Prefix.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        int bang = rest.IndexOf('!', end + 3);
        string embedded = rest[Prefix.Length..end];
        string encodedBytes = bang < 0 ? rest[(end + 3)..] : rest[(end + 3)..bang];
        if (embedded.Length > 0 && !embedded.Contains("://", StringComparison.Ordinal))
        {
            int schemeColon = embedded.IndexOf(":/", StringComparison.Ordinal);
            if (schemeColon > 0 && ParsedUrl.IsScheme(embedded.AsSpan(0, schemeColon)))
            {
                embedded = embedded.Insert(schemeColon + 2, "/");
            }
        }

        embedded = ParsedUrl.PercentDecode(embedded);
        string replaced;
        try
        {
            replaced = Encoding.UTF8.GetString(Base64UrlDecode(encodedBytes));
        }
        catch (FormatException)
        {
            return null;
        }

        var builder = new StringBuilder(embedded.Length + replaced.Length);
        int marker = 0;
        for (int i = 0; i < embedded.Length; i++)
        {
            if (embedded[i] != '*')
            {
                builder.Append(embedded[i]);
                continue;
            }

            int run = 1;
            if (i + 2 < embedded.Length && embedded[i + 1] == '*')
            {
                int index = RunAlphabet.IndexOf(embedded[i + 2], StringComparison.Ordinal);
                if (index < 0)
                {
                    return null;
                }

                run = index + 2;
                i += 2;
            }

            if (marker + run > replaced.Length)
            {
                return null;
            }

            builder.Append(replaced, marker, run);
            marker += run;
        }

        return builder.ToString();
    }

    private const string RunAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static byte[] Base64UrlDecode(string value)
    {
        string standard = value.Replace('-', '+').Replace('_', '/');
        int padding = (4 - (standard.Length % 4)) % 4;
        if (padding == 3)
        {
            throw new FormatException("Truncated base64.");
        }

        return Convert.FromBase64String(standard + new string('=', padding));
    }
}
