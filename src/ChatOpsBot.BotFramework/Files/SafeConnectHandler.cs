using System.Net;
using System.Net.Sockets;

namespace ChatOpsBot.BotFramework.Files;

/// <summary>
/// The download client's transport: it resolves the host itself, refuses the connection if any address is not
/// public (loopback only when <see cref="TeamsFileDownloadOptions.AllowLoopbackForTests"/>), and connects to the
/// very address it checked, so a DNS answer that changes between check and connect (rebinding) gains nothing. No
/// proxy (a proxy would resolve the name itself), no redirects (the downloader checks each hop), no cookies.
/// </summary>
internal static class SafeConnectHandler
{
    public static SocketsHttpHandler Create(TeamsFileDownloadOptions options, IHostAddressResolver resolver) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, options.AllowLoopbackForTests, resolver, cancellationToken),
    };

    internal static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowLoopback, IHostAddressResolver resolver, CancellationToken cancellationToken)
    {
        string host = endPoint.Host.Trim('[', ']');
        IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal)
            ? [literal]
            : await ResolveAsync(resolver, host, cancellationToken).ConfigureAwait(false);

        if (addresses.Length == 0)
        {
            throw new TeamsFileDownloadException(TeamsFileDownloadFailure.Unreachable, $"{host} has no addresses.");
        }

        // One non-public answer is enough to refuse: a name that mixes public and private addresses is an attack.
        foreach (IPAddress address in addresses)
        {
            AddressScope scope = NetworkAddressPolicy.Classify(address);
            if (scope == AddressScope.NonPublic || (scope == AddressScope.Loopback && !allowLoopback))
            {
                throw new TeamsFileDownloadException(
                    TeamsFileDownloadFailure.DisallowedAddress,
                    $"{host} resolves to {address}, which is not a public address; the download was refused.");
            }
        }

        SocketException? lastError = null;
        foreach (IPAddress address in addresses)
        {
            Socket socket = new(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                lastError = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new TeamsFileDownloadException(TeamsFileDownloadFailure.Unreachable, $"Could not connect to {host}:{endPoint.Port}.", innerException: lastError);
    }

    private static async Task<IPAddress[]> ResolveAsync(IHostAddressResolver resolver, string host, CancellationToken cancellationToken)
    {
        try
        {
            return await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException exception)
        {
            throw new TeamsFileDownloadException(TeamsFileDownloadFailure.Unreachable, $"{host} could not be resolved.", innerException: exception);
        }
    }
}
