using System.Globalization;
using System.Text;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Monitor;
using ChatOpsBot.Analysis.EmailForensics;

namespace ChatOpsBot.Tests.Alerts;

/// <summary>
/// Stored clicks are matched by the normalised URL they were given when stored, so a rewrite of the normaliser must
/// give every URL the key it had before. This holds the span-based normaliser to the original (builder, split query)
/// over generated URLs.
/// </summary>
public sealed class UrlNormalizerEquivalenceTests
{
    private static readonly string[] s_schemes = ["http", "https", "HTTPS", "Http", "ftp", "mailto", "javascript"];
    private static readonly string[] s_hosts =
    [
        "evil.example", "Evil.EXAMPLE", "evil.example.", "xn--vil-bma.example", "évil.example", "192.0.2.1", "[2001:db8::1]", "sub.evil.co.uk",
        "localhost", "ex%41mple.com", "", "a..b.example",
    ];

    private static readonly string[] s_paths = ["", "/", "//", "/a", "/a/", "/a//", "/A/b/../c", "/%7Euser/", "/x y", "/ünï", "/a;b=c"];
    private static readonly string[] s_parameters =
    [
        "utm_source=x", "UTM_Medium=y", "id=7", "fbclid=abc", "gclid=1", "a=1", "b", "", "%75tm_source=z", "utm%5Fterm=q", "mc_eid=9", "x=%20", "=v", "q=a&b", "ref%20code=1", "sp%40m_x=2", "REF%20CODE", "sp@m=3",
    ];

    [Fact]
    public void Generated_urls_get_the_key_and_domain_the_original_normaliser_gave()
    {
        string[] configured = ["ref code", "sp@m*", "id"];
        var defaults = new UrlNormalizer(MonitorOptions.DefaultTrackingParameters);
        var custom = new UrlNormalizer(configured);
        var random = new Random(11);
        for (int i = 0; i < 20_000; i++)
        {
            string url = Url(random);
            defaults.Normalize(url).ShouldBe(Original(url, MonitorOptions.DefaultTrackingParameters), url);
            custom.Normalize(url).ShouldBe(Original(url, configured), url);
        }
    }

    private static string Url(Random random)
    {
        var url = new StringBuilder();
        if (random.Next(20) == 0)
        {
            url.Append(' ');
        }

        url.Append(s_schemes[random.Next(s_schemes.Length)]).Append("://");
        if (random.Next(10) == 0)
        {
            url.Append("user:pw@");
        }

        url.Append(s_hosts[random.Next(s_hosts.Length)]);
        url.Append(random.Next(6) switch
        {
            0 => ":80",
            1 => ":443",
            2 => ":8080",
            _ => "",
        });
        url.Append(s_paths[random.Next(s_paths.Length)]);
        int parameters = random.Next(-2, 5);
        for (int p = 0; p < parameters; p++)
        {
            url.Append(p == 0 ? '?' : '&').Append(s_parameters[random.Next(s_parameters.Length)]);
        }

        if (random.Next(5) == 0)
        {
            url.Append("#frag");
        }

        return url.ToString();
    }

    /// <summary>The normaliser as first written: the oracle.</summary>
    private static (string, string?) Original(string url, IEnumerable<string> trackingParameters)
    {
        string[] exact = [.. trackingParameters.Where(p => !p.EndsWith('*'))];
        string[] prefixes = [.. trackingParameters.Where(p => p.EndsWith('*')).Select(p => p[..^1])];
        string text = url.Trim();
        if (text.Length > UrlNormalizer.MaxUrlLength)
        {
            text = text[..UrlNormalizer.MaxUrlLength];
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

        var builder = new StringBuilder(text.Length);
        builder.Append(uri.Scheme).Append("://").Append(host);
        if (!uri.IsDefaultPort)
        {
            builder.Append(':').Append(uri.Port.ToString(CultureInfo.InvariantCulture));
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

        builder.Append(path.Length == 0 ? "/" : path);
        List<string> kept = [];
        foreach (string pair in uri.Query.Length <= 1 ? [] : uri.Query[1..].Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString(equals >= 0 ? pair[..equals] : pair);
            if (!exact.Any(e => string.Equals(name, e, StringComparison.OrdinalIgnoreCase))
                && !prefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                kept.Add(pair);
            }
        }

        if (kept.Count > 0)
        {
            builder.Append('?').Append(string.Join('&', kept));
        }

        string registrable = uri.HostNameType == UriHostNameType.Dns ? SenderDomains.OrganizationalDomain(host) : host;
        return (builder.ToString(), registrable);
    }
}
