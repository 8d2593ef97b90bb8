using System.Globalization;
using System.Runtime.CompilerServices;
using ChatOpsBot.Analysis.EmailForensics;

namespace ChatOpsBot.Alerts.Monitor;

/// <summary>
/// The key clicks are matched by: two spellings of the same destination give the same key. Scheme and host are
/// lower-cased (internationalised hosts become punycode), default ports and user info are dropped, an empty path is
/// <c>/</c> and a trailing slash after a path is removed, the fragment is dropped, and configured tracking parameters
/// (<c>utm_*</c>, <c>fbclid</c>, ...) are removed from the query; the remaining parameters keep their order and
/// spelling, because they can select different content. Text that is not an absolute http(s) URL is keyed as it is,
/// trimmed: it can still match itself.
/// </summary>
internal sealed class UrlNormalizer
{
    public const int MaxUrlLength = 8192;

    private readonly string[] _exactParameters;
    private readonly string[] _parameterPrefixes;

    public UrlNormalizer(IEnumerable<string> trackingParameters)
    {
        ArgumentNullException.ThrowIfNull(trackingParameters);
        List<string> parameters = [.. trackingParameters.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim())];
        _exactParameters = [.. parameters.Where(p => !p.EndsWith('*'))];
        _parameterPrefixes = [.. parameters.Where(p => p.EndsWith('*')).Select(p => p[..^1])];
    }

    /// <summary>The normalised URL and its approximate registrable domain (null when the text is not a URL).</summary>
    public (string NormalizedUrl, string? RegistrableDomain) Normalize(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string text = url.Trim();
        if (text.Length > MaxUrlLength)
        {
            text = text[..MaxUrlLength];
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return (text, null);
        }

        string host;
        try
        {
            host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        }
        catch (UriFormatException)
        {
            return (text, null);
        }

        string path = uri.AbsolutePath;
        if (path.Length > 1 && path.EndsWith('/'))
        {
            path = path.TrimEnd('/');
            if (path.Length == 0)
            {
                path = "/";
            }
        }

        // One string for the whole key (no builder, no split query): the URL monitor normalises every click it reads.
        var key = new DefaultInterpolatedStringHandler(4, 5, CultureInfo.InvariantCulture, stackalloc char[256]);
        key.AppendFormatted(uri.Scheme);
        key.AppendLiteral("://");
        key.AppendFormatted(host);
        if (!uri.IsDefaultPort)
        {
            key.AppendLiteral(":");
            key.AppendFormatted(uri.Port);
        }

        key.AppendFormatted(path.Length == 0 ? "/" : path);
        AppendFilteredQuery(ref key, uri.Query);
        string registrable = uri.HostNameType == UriHostNameType.Dns ? SenderDomains.OrganizationalDomain(host) : host;
        return (key.ToStringAndClear(), registrable);
    }

    /// <summary>Appends <c>?</c> and the query's parameters that are not tracking ones, in their order and spelling.</summary>
    private void AppendFilteredQuery(ref DefaultInterpolatedStringHandler key, string query)
    {
        if (query.Length <= 1)
        {
            return;
        }

        bool first = true;
        foreach (Range range in query.AsSpan(1).Split('&'))
        {
            ReadOnlySpan<char> pair = query.AsSpan(1)[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            int equals = pair.IndexOf('=');
            ReadOnlySpan<char> name = equals >= 0 ? pair[..equals] : pair;
            if (IsTracking(name.Contains('%') ? Uri.UnescapeDataString(name) : name))
            {
                continue;
            }

            key.AppendLiteral(first ? "?" : "&");
            key.AppendFormatted(pair);
            first = false;
        }
    }

    private bool IsTracking(ReadOnlySpan<char> name)
    {
        foreach (string exact in _exactParameters)
        {
            if (name.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (string prefix in _parameterPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
