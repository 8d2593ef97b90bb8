using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ChatOpsBot.BotFramework.Connector;

/// <summary>
/// Client-credential tokens from Entra through MSAL: authority <c>{Bot:AuthorityHost}/{tenant}</c> where the tenant is
/// <c>MicrosoftAppTenantId</c> (SingleTenant) or <c>botframework.com</c> (MultiTenant). MSAL's in-memory app token
/// cache answers until five minutes before expiry, so one instance must live for the process.
/// </summary>
public sealed partial class MsalBotTokenProvider : IBotTokenProvider
{
    private readonly IConfidentialClientApplication _application;
    private readonly string[] _scopes;
    private readonly string _authority;
    private readonly ILogger<MsalBotTokenProvider> _logger;

    public MsalBotTokenProvider(IOptions<BotFrameworkOptions> options, IMsalHttpClientFactory httpClientFactory, ILogger<MsalBotTokenProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(logger);
        BotFrameworkOptions settings = options.Value;
        if (settings.IsAnonymous)
        {
            throw new InvalidOperationException("MsalBotTokenProvider needs MicrosoftAppId; anonymous mode uses AnonymousBotTokenProvider.");
        }

        _logger = logger;
        _authority = $"{settings.AuthorityHost.TrimEnd('/')}/{Uri.EscapeDataString(settings.TokenTenant)}";
        _scopes = [settings.OAuthScope];

        // Client credentials need only the token endpoint, which MSAL derives from the authority; instance discovery
        // would add a call to the public cloud, which sovereign clouds and test fakes do not want.
        _application = ConfidentialClientApplicationBuilder.Create(settings.MicrosoftAppId)
            .WithClientSecret(settings.MicrosoftAppPassword)
            .WithAuthority(_authority, validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(httpClientFactory)
            .Build();
    }

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            AuthenticationResult result = await _application.AcquireTokenForClient(_scopes)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
            if (result.AuthenticationResultMetadata.TokenSource == TokenSource.IdentityProvider)
            {
                LogTokenAcquired(_logger, _authority, result.ExpiresOn);
            }

            return result.AccessToken;
        }
        catch (MsalException exception)
        {
            LogTokenFailed(_logger, _authority, exception.ErrorCode);
            throw new BotAuthenticationException(
                $"Could not obtain a Bot Framework token from {_authority}: {exception.ErrorCode}: {LogText.Safe(FirstLine(exception.Message), 300)}",
                exception);
        }
    }

    private static string FirstLine(string text)
    {
        int end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Obtained a Bot Framework token from {Authority}, valid until {ExpiresOn:O}")]
    private static partial void LogTokenAcquired(ILogger logger, string authority, DateTimeOffset expiresOn);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not obtain a Bot Framework token from {Authority}: {ErrorCode}")]
    private static partial void LogTokenFailed(ILogger logger, string authority, string errorCode);
}

/// <summary>Gives MSAL its HttpClient through <see cref="IHttpClientFactory"/> (named <see cref="ClientName"/>), so hosts and tests can configure it.</summary>
public sealed class MsalHttpClientFactory(IHttpClientFactory httpClientFactory) : IMsalHttpClientFactory
{
    public const string ClientName = "ChatOpsBot.BotFramework.Token";

    public HttpClient GetHttpClient() => httpClientFactory.CreateClient(ClientName);
}
