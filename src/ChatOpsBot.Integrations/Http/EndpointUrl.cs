namespace ChatOpsBot.Integrations.Http;

/// <summary>Validation of a configured base URL: an outside service is reached over https only; plain http is
/// allowed for a loopback fake when the configuration says so explicitly.</summary>
internal static class EndpointUrl
{
    /// <summary>Null when <paramref name="value"/> is acceptable, otherwise the reason, naming <paramref name="key"/>.</summary>
    public static string? Problem(string key, string? value, bool allowHttpOnLoopback, string allowKey)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{key} is empty; set it to the service's https base URL.";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri))
        {
            return $"{key} is not an absolute URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return $"{key} must not carry credentials, a query or a fragment.";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && allowHttpOnLoopback)
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback
            ? $"{key} uses plain http; that is only allowed on loopback with {allowKey}=true (tests and local fakes)."
            : $"{key} must be an https URL.";
    }

    /// <summary>The base URL with a trailing slash, so relative paths append to it instead of replacing its last segment.</summary>
    public static Uri WithTrailingSlash(string value)
    {
        string text = value.EndsWith('/') ? value : value + "/";
        return new Uri(text, UriKind.Absolute);
    }
}
