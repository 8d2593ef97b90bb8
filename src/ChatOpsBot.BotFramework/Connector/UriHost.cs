namespace ChatOpsBot.BotFramework.Connector;

/// <summary>
/// <see cref="Uri.IdnHost"/> throws <see cref="UriFormatException"/> for host names that parse but are not valid IDNs
/// (seen with emoji and control characters from a forged activity); a URL we cannot name safely is simply untrusted.
/// </summary>
internal static class UriHost
{
    public static bool TryGetIdnHost(Uri uri, out string host)
    {
        try
        {
            host = uri.IdnHost;
            return true;
        }
        catch (UriFormatException)
        {
            host = string.Empty;
            return false;
        }
    }
}
