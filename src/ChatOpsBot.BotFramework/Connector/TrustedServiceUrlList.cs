using Microsoft.Extensions.Options;

namespace ChatOpsBot.BotFramework.Connector;

/// <summary>
/// The service URLs the bot may call, from <c>Bot:TrustedServiceUrls</c>. A candidate is trusted when its scheme,
/// host (case-insensitive) and port equal an entry's and its path starts with the entry's path at a segment
/// boundary. A service URL from an inbound activity is attacker-controlled until it passes here.
/// In anonymous local mode (no app id, so no token to leak, and a host bound to loopback) every loopback service URL is
/// trusted as well, http or https on any port: local channel emulators such as Microsoft 365 Agents Playground serve
/// their own Connector on <c>http://localhost:PORT/…</c>. Never so with an app id.
/// </summary>
public sealed class TrustedServiceUrlList
{
    private readonly Uri[] _entries;

    /// <param name="trustLoopback">Also trust loopback URLs (anonymous local mode only).</param>
    public TrustedServiceUrlList(IEnumerable<string> entries, bool allowInsecure = false, bool trustLoopback = false)
    {
        ArgumentNullException.ThrowIfNull(entries);
        List<Uri> parsed = [];
        foreach (string entry in entries)
        {
            if (!TryParseEntry(entry, allowInsecure, out Uri? uri, out string? problem))
            {
                throw new ArgumentException($"Trusted service URL {problem}", nameof(entries));
            }

            parsed.Add(uri);
        }

        _entries = [.. parsed];
        TrustsLoopback = trustLoopback;
    }

    public TrustedServiceUrlList(IOptions<BotFrameworkOptions> options)
        : this(
            options?.Value.TrustedServiceUrls ?? throw new ArgumentNullException(nameof(options)),
            options.Value.AllowInsecureServiceUrls,
            trustLoopback: options.Value.IsAnonymous)
    {
    }

    public IReadOnlyList<Uri> Entries => _entries;

    /// <summary>True in anonymous local mode: loopback service URLs are trusted besides <see cref="Entries"/>.</summary>
    public bool TrustsLoopback { get; }

    /// <summary>True when <paramref name="serviceUrl"/> is an absolute URL under one of the trusted entries.</summary>
    public bool IsTrusted(string? serviceUrl) => TryGetTrustedUri(serviceUrl, out _);

    /// <summary>Parses <paramref name="serviceUrl"/> and returns it when it is trusted.</summary>
    public bool TryGetTrustedUri(string? serviceUrl, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(serviceUrl)
            || !Uri.TryCreate(serviceUrl, UriKind.Absolute, out Uri? candidate)
            || !string.IsNullOrEmpty(candidate.UserInfo)
            || (candidate.Scheme != Uri.UriSchemeHttps && candidate.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }

        if (TrustsLoopback && IsLoopback(candidate))
        {
            uri = candidate;
            return true;
        }

        foreach (Uri entry in _entries)
        {
            if (Matches(entry, candidate))
            {
                uri = candidate;
                return true;
            }
        }

        return false;
    }

    internal static bool TryParseEntry(
        string? entry,
        bool allowInsecure,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        uri = null;
        if (entry is not null && entry.Contains('*', StringComparison.Ordinal))
        {
            problem = "must be a plain scheme://host[:port][/path]: wildcards are not supported, list each host.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(entry) || !Uri.TryCreate(entry.Trim(), UriKind.Absolute, out Uri? parsed))
        {
            problem = "must be an absolute URL such as https://smba.trafficmanager.net/.";
            return false;
        }

        if (parsed.Scheme != Uri.UriSchemeHttps && !(allowInsecure && parsed.Scheme == Uri.UriSchemeHttp))
        {
            problem = $"must use https (http only with Bot:AllowInsecureServiceUrls for tests): {parsed.GetLeftPart(UriPartial.Authority)}.";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo) || !string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment))
        {
            problem = "must be a plain scheme://host[:port][/path] with no credentials, query, fragment or wildcard.";
            return false;
        }

        uri = parsed;
        problem = null;
        return true;
    }

    // "localhost" and literal loopback addresses only: any other name could resolve anywhere.
    private static bool IsLoopback(Uri candidate) =>
        UriHost.TryGetIdnHost(candidate, out string host)
        && (candidate.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? System.Net.IPAddress.TryParse(host.Trim('[', ']'), out System.Net.IPAddress? address) && System.Net.IPAddress.IsLoopback(address)
            : string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase));

    private static bool Matches(Uri entry, Uri candidate)
    {
        if (!string.Equals(entry.Scheme, candidate.Scheme, StringComparison.OrdinalIgnoreCase)
            || !UriHost.TryGetIdnHost(entry, out string entryHost)
            || !UriHost.TryGetIdnHost(candidate, out string candidateHost)
            || !string.Equals(entryHost, candidateHost, StringComparison.OrdinalIgnoreCase)
            || entry.Port != candidate.Port)
        {
            return false;
        }

        string prefix = entry.AbsolutePath;
        string path = candidate.AbsolutePath;
        if (prefix.Length <= 1)
        {
            return true;
        }

        // "/teams" trusts "/teams" and "/teams/…", not "/teamsevil/".
        string trimmed = prefix.TrimEnd('/');
        return path.Equals(trimmed, StringComparison.Ordinal)
            || path.StartsWith(trimmed + "/", StringComparison.Ordinal);
    }
}
