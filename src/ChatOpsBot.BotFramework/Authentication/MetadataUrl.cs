using System.Net;

namespace ChatOpsBot.BotFramework.Authentication;

/// <summary>
/// Where signing keys may come from: HTTPS, or plain HTTP to a loopback address (the fake identity servers of tests and
/// local runs). A key set fetched over plain HTTP from anywhere else could be replaced in transit, and with it every
/// token check.
/// </summary>
internal static class MetadataUrl
{
    public static bool IsAcceptable(Uri url) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)))
        && string.IsNullOrEmpty(url.UserInfo);

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out IPAddress? address) && IPAddress.IsLoopback(address));
}
