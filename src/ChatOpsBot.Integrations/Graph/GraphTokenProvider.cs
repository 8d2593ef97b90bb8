using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions.Authentication;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ChatOpsBot.Integrations.Graph;

/// <summary>
/// App-only Graph tokens from Entra through MSAL (client credentials, authority <c>{AuthorityHost}/{TenantId}</c>, scope
/// <c>{graph host}/.default</c>), cached by MSAL until shortly before expiry. A token is only handed out for the
/// configured Graph host over https (or the loopback fake when the configuration allows http there), so a link in a
/// Graph answer (<c>@odata.nextLink</c>) that pointed elsewhere would never carry it. Tokens are never logged.
/// </summary>
public sealed partial class GraphTokenProvider : IAccessTokenProvider
{
    private readonly GraphOptions _options;
    private readonly ILogger<GraphTokenProvider> _logger;
    private readonly Lazy<IConfidentialClientApplication> _application;
    private readonly string _authority;

    public GraphTokenProvider(IOptions<GraphOptions> options, IHttpClientFactory httpClientFactory, ILogger<GraphTokenProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _options = options.Value;
        _logger = logger;
        _authority = $"{_options.AuthorityHost.TrimEnd('/')}/{Uri.EscapeDataString(_options.TenantId)}";
        AllowedHostsValidator = new AllowedHostsValidator([new Uri(_options.BaseUrl, UriKind.Absolute).Host]);
        _application = new Lazy<IConfidentialClientApplication>(() => ConfidentialClientApplicationBuilder.Create(_options.ClientId)
            .WithClientSecret(_options.ClientSecret)
            .WithAuthority(_authority, validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new MsalHttpClients(httpClientFactory))
            .Build());
    }

    public AllowedHostsValidator AllowedHostsValidator { get; }

    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!GraphHosts.MayCarryToken(uri, _options, AllowedHostsValidator))
        {
            return "";
        }

        if (!_options.IsConfigured)
        {
            throw new GraphApiException(GraphErrorKind.NotConfigured, "Microsoft Graph is not configured (ReportMailbox:Graph:ClientId is empty).");
        }

        try
        {
            AuthenticationResult result = await _application.Value.AcquireTokenForClient([_options.Scope]).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            if (result.AuthenticationResultMetadata.TokenSource == TokenSource.IdentityProvider)
            {
                LogTokenAcquired(_logger, _authority, result.ExpiresOn);
            }

            return result.AccessToken;
        }
        catch (MsalException exception)
        {
            // MSAL's messages can quote the token endpoint's answer; only its error code goes out.
            LogTokenFailed(_logger, _authority, exception.ErrorCode);
            throw new GraphApiException(GraphErrorKind.Unauthorized, $"Could not obtain a Microsoft Graph token from {_authority}: {exception.ErrorCode}.", exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Obtained a Microsoft Graph token from {Authority}, valid until {ExpiresOn:O}")]
    private static partial void LogTokenAcquired(ILogger logger, string authority, DateTimeOffset expiresOn);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not obtain a Microsoft Graph token from {Authority}: {ErrorCode}")]
    private static partial void LogTokenFailed(ILogger logger, string authority, string errorCode);

    private sealed class MsalHttpClients(IHttpClientFactory factory) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => factory.CreateClient(GraphMailClient.TokenHttpClientName);
    }
}

internal static class GraphHosts
{
    /// <summary>A bearer token goes only to the configured Graph host, over https or to the allowed loopback fake.</summary>
    public static bool MayCarryToken(Uri uri, GraphOptions options, AllowedHostsValidator allowed) =>
        allowed.IsUrlHostValid(uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && options.AllowHttpOnLoopbackForTesting));
}
