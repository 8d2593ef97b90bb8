using System.Globalization;
using System.Net;

namespace ChatOpsBot.Teams.Hosting;

/// <summary>An address the host listens on in anonymous local mode; <see cref="Address"/> null means <c>localhost</c> (both loopbacks).</summary>
internal sealed record LoopbackEndpoint(string Configured, bool IsHttps, IPAddress? Address, int Port)
{
    public string Url => string.Create(
        CultureInfo.InvariantCulture,
        $"{(IsHttps ? "https" : "http")}://{Address switch { null => "localhost", { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } v6 => $"[{v6}]", { } v4 => v4.ToString() }}:{Port}");

    /// <summary>True when the configured address was not loopback and this endpoint replaces it.</summary>
    public bool Rebound { get; init; }
}

/// <summary>
/// Anonymous local mode (no <c>MicrosoftAppId</c>) accepts unauthenticated activities, so the host must be reachable
/// from this machine only. This reads the addresses the host was told to listen on (<c>Urls</c> / <c>ASPNETCORE_URLS</c>
/// / <c>--urls</c>, else <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, else Kestrel's default) and maps each to its loopback
/// equivalent with the same scheme and port: <c>0.0.0.0</c> to <c>127.0.0.1</c>, <c>[::]</c> to <c>[::1]</c>, and
/// <c>*</c>, <c>+</c>, host names and other addresses to <c>localhost</c>. <c>Kestrel:Endpoints</c> cannot be rebound
/// (Kestrel binds them itself), so a non-loopback one is a start-up error.
/// </summary>
internal static class LoopbackBinding
{
    public const string DefaultUrl = "http://localhost:5000";

    public sealed record Plan(IReadOnlyList<LoopbackEndpoint> Endpoints, IReadOnlyList<string> Problems)
    {
        public IEnumerable<LoopbackEndpoint> Rebound => Endpoints.Where(e => e.Rebound);
    }

    public static Plan For(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        List<string> problems = [];
        List<LoopbackEndpoint> endpoints = [];
        foreach (string url in ConfiguredUrls(configuration))
        {
            if (TryParse(url, out bool https, out string? host, out int port, out string? problem))
            {
                LoopbackEndpoint endpoint = ToLoopback(url, https, host, port);
                if (!endpoints.Any(e => e.IsHttps == endpoint.IsHttps && Equals(e.Address, endpoint.Address) && e.Port == endpoint.Port && e.Port != 0))
                {
                    endpoints.Add(endpoint);
                }
            }
            else
            {
                problems.Add($"The listening address '{Shorten(url)}' {problem}");
            }
        }

        foreach (IConfigurationSection endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            string? url = endpoint["Url"];
            if (url is null || !TryParse(url, out _, out string? host, out _, out _) || !IsLoopbackHost(host))
            {
                problems.Add(
                    $"Kestrel:Endpoints:{endpoint.Key}:Url '{Shorten(url ?? string.Empty)}' is not a loopback address. With MicrosoftAppId empty the bot accepts "
                    + "unauthenticated requests and must listen on loopback only: remove the endpoint (use Urls, which is rebound to loopback) or configure the bot's Entra app.");
            }
        }

        return new Plan(endpoints, problems);
    }

    /// <summary>True for <c>localhost</c> and literal loopback addresses.</summary>
    public static bool IsLoopbackHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        string bare = host.Trim('[', ']');
        return bare.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(bare, out IPAddress? address) && IPAddress.IsLoopback(address));
    }

    /// <summary>Splits <c>scheme://host:port[/path]</c> the way Kestrel's URL binding reads it (<c>*</c> and <c>+</c> allowed as hosts).</summary>
    public static bool TryParse(string url, out bool https, out string host, out int port, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(url);
        https = false;
        host = string.Empty;
        port = 0;
        string trimmed = url.Trim();
        int schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        string scheme = schemeEnd < 0 ? string.Empty : trimmed[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            problem = "is not an http:// or https:// address, so it cannot be limited to loopback.";
            return false;
        }

        https = scheme.Equals("https", StringComparison.OrdinalIgnoreCase);
        string authority = trimmed[(schemeEnd + 3)..];
        int slash = authority.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            authority = authority[..slash];
        }

        string? portText = null;
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                problem = "has an unclosed IPv6 address.";
                return false;
            }

            host = authority[..(close + 1)];
            string after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                {
                    problem = "has text after its IPv6 address.";
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            int colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
        }

        if (host.Length == 0 || host.Equals("unix", StringComparison.OrdinalIgnoreCase) || host.StartsWith("pipe", StringComparison.OrdinalIgnoreCase))
        {
            problem = "names no host, a Unix socket or a named pipe; use http://localhost:PORT.";
            return false;
        }

        if (portText is null)
        {
            port = https ? 443 : 80;
        }
        else if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > IPEndPoint.MaxPort)
        {
            problem = "has no valid port.";
            return false;
        }

        problem = null;
        return true;
    }

    private static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        string? urls = configuration["urls"];
        if (!string.IsNullOrWhiteSpace(urls))
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        // Kestrel's own fallbacks, as the ASP.NET container images set them (ASPNETCORE_HTTP_PORTS=8080): all interfaces.
        List<string> fromPorts = [];
        fromPorts.AddRange(Ports(configuration["http_ports"]).Select(p => $"http://*:{p}"));
        fromPorts.AddRange(Ports(configuration["https_ports"]).Select(p => $"https://*:{p}"));
        return fromPorts.Count > 0 ? fromPorts : [DefaultUrl];
    }

    private static string[] Ports(string? ports) =>
        string.IsNullOrWhiteSpace(ports) ? [] : ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static LoopbackEndpoint ToLoopback(string configured, bool https, string host, int port)
    {
        string bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out IPAddress? address))
        {
            if (IPAddress.IsLoopback(address))
            {
                return new LoopbackEndpoint(configured, https, address, port);
            }

            IPAddress loopback = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
            return new LoopbackEndpoint(configured, https, loopback, port) { Rebound = true };
        }

        bool isLocalhost = bare.Equals("localhost", StringComparison.OrdinalIgnoreCase);

        // Kestrel cannot bind "localhost" to a dynamic port (0); 127.0.0.1 is the loopback it then gets.
        IPAddress? target = port == 0 ? IPAddress.Loopback : null;
        return new LoopbackEndpoint(configured, https, target, port) { Rebound = !isLocalhost };
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "…");
}
