using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsBot.BotFramework.Authentication;

/// <summary>
/// Validates the bearer token of an inbound Bot Framework activity with the checks of the reference (A1.2), in its
/// order: Bearer header, trusted issuer (read unverified, before any signature work), RS256/384/512 signature by a
/// published key, lifetime with 5 minutes' skew, audience equal to our App ID, the signing key endorsed for the
/// activity's channel, and the token's <c>serviceurl</c> equal to the activity's. Every failure is reported as a
/// <see cref="TokenValidationFailure"/>; nothing here throws for a bad token.
/// </summary>
public sealed class BotTokenValidator : IDisposable
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string ServiceUrlClaim = "serviceurl";
    public const string TenantIdClaim = "tid";
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Bot Framework tokens are about 1-2 KB; anything far larger is not one, and is not worth parsing.</summary>
    public const int MaxTokenLength = 16 * 1024;

    private static readonly string[] s_allowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly BotTokenValidationSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly OpenIdSigningKeyCache _botFrameworkKeys;
    private readonly OpenIdSigningKeyCache? _entraKeys;
    private readonly string[] _entraIssuers;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public BotTokenValidator(
        BotTokenValidationSettings settings,
        HttpClient metadataClient,
        TimeProvider timeProvider,
        ILogger<BotTokenValidator> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(metadataClient);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(settings.AppId))
        {
            throw new ArgumentException("Token validation needs the bot's Microsoft App ID (MicrosoftAppId).", nameof(settings));
        }

        if (!MetadataUrl.IsAcceptable(settings.BotFrameworkMetadataUrl))
        {
            throw new ArgumentException(
                $"Bot:OpenIdMetadataUrl must be an https URL (plain http only to a loopback address): {settings.BotFrameworkMetadataUrl}",
                nameof(settings));
        }

        _settings = settings;
        _timeProvider = timeProvider;
        _botFrameworkKeys = new OpenIdSigningKeyCache(metadataClient, settings.BotFrameworkMetadataUrl, timeProvider, logger);
        if (!string.IsNullOrWhiteSpace(settings.EntraTenantId))
        {
            Uri entraMetadata = settings.ResolvedEntraMetadataUrl;
            if (!MetadataUrl.IsAcceptable(entraMetadata))
            {
                throw new ArgumentException($"The Entra metadata URL must be https (plain http only to a loopback address): {entraMetadata}", nameof(settings));
            }

            _entraKeys = new OpenIdSigningKeyCache(metadataClient, entraMetadata, timeProvider, logger);
            _entraIssuers =
            [
                $"https://sts.windows.net/{settings.EntraTenantId}/",
                $"https://login.microsoftonline.com/{settings.EntraTenantId}/v2.0",
            ];
        }
        else
        {
            _entraIssuers = [];
        }
    }

    internal OpenIdSigningKeyCache BotFrameworkKeys => _botFrameworkKeys;

    internal OpenIdSigningKeyCache? EntraKeys => _entraKeys;

    /// <summary>
    /// Validates <paramref name="authorizationHeader"/> for an activity from <paramref name="channelId"/> whose replies
    /// go to <paramref name="serviceUrl"/>.
    /// </summary>
    public async Task<TokenValidationOutcome> ValidateAsync(
        string? authorizationHeader,
        string? channelId,
        string? serviceUrl,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(authorizationHeader))
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.MissingAuthorizationHeader);
        }

        // Exactly "Bearer <token>", scheme compared case-sensitively as the SDK's extractor does.
        string[] parts = authorizationHeader.Split(' ');
        if (parts.Length != 2 || parts[0] != "Bearer" || parts[1].Length == 0)
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.MalformedAuthorizationHeader);
        }

        string rawToken = parts[1];
        if (rawToken.Length > MaxTokenLength)
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.MalformedToken);
        }

        JsonWebToken token;
        try
        {
            token = new JsonWebToken(rawToken);
        }
        catch (ArgumentException)
        {
            // SecurityTokenMalformedException is an ArgumentException.
            return TokenValidationOutcome.Fail(TokenValidationFailure.MalformedToken);
        }

        string? issuer = ReadUnverified(token, JwtRegisteredClaimNames.Iss);
        string? tenantId = ReadUnverified(token, TenantIdClaim);
        if (token.IsEncrypted || !s_allowedAlgorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            // Covers "none", HS256 signed with our public key as the secret, and JWE.
            return TokenValidationOutcome.Fail(TokenValidationFailure.AlgorithmNotAllowed, issuer, tenantId);
        }

        bool isBotFrameworkToken = issuer == BotFrameworkIssuer;
        OpenIdSigningKeyCache? keys = isBotFrameworkToken ? _botFrameworkKeys
            : _entraIssuers.Contains(issuer, StringComparer.Ordinal) ? _entraKeys
            : null;
        if (keys is null)
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.UntrustedIssuer, issuer, tenantId);
        }

        if (string.IsNullOrEmpty(token.Kid))
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.MissingKeyId, issuer, tenantId);
        }

        KeyLookup lookup = await keys.FindAsync(token.Kid, cancellationToken).ConfigureAwait(false);
        if (!lookup.HaveKeys)
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.SigningKeysUnavailable, issuer, tenantId);
        }

        if (lookup.Key is not { } signingKey)
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.UnknownSigningKey, issuer, tenantId);
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidateIssuer = true,
            ValidAudience = _settings.AppId,
            ValidateAudience = true,
            ValidAlgorithms = s_allowedAlgorithms,
            IssuerSigningKey = signingKey.Key,
            TryAllIssuerSigningKeys = false,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            // Lifetime is checked below against our TimeProvider (the handler reads the system clock).
            ValidateLifetime = false,
            ValidateTokenReplay = false,
            SaveSigninToken = false,
        };

        TokenValidationResult result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TokenValidationOutcome.Fail(Classify(result.Exception), issuer, tenantId);
        }

        TokenValidationFailure lifetime = CheckLifetime(token);
        if (lifetime != TokenValidationFailure.None)
        {
            return TokenValidationOutcome.Fail(lifetime, issuer, tenantId);
        }

        if (!isBotFrameworkToken && !string.Equals(tenantId, _settings.EntraTenantId, StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.TenantMismatch, issuer, tenantId);
        }

        // Bot Framework keys say which channels they may sign for; a key without endorsements signs for none.
        // Entra keys carry no endorsements: there the tenant check above stands in for it.
        if (isBotFrameworkToken
            && (string.IsNullOrEmpty(channelId)
                || signingKey.Endorsements is null
                || !signingKey.Endorsements.Contains(channelId, StringComparer.OrdinalIgnoreCase)))
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.ChannelNotEndorsed, issuer, tenantId);
        }

        // Replies carry our token to serviceUrl: only where the channel itself said to send them.
        string? tokenServiceUrl = ReadUnverified(token, ServiceUrlClaim);
        if (string.IsNullOrEmpty(tokenServiceUrl)
            || !string.Equals(tokenServiceUrl, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidationOutcome.Fail(TokenValidationFailure.ServiceUrlMismatch, issuer, tenantId);
        }

        return new TokenValidationOutcome(TokenValidationFailure.None, result.ClaimsIdentity, issuer, tenantId);
    }

    public void Dispose()
    {
        _botFrameworkKeys.Dispose();
        _entraKeys?.Dispose();
    }

    private TokenValidationFailure CheckLifetime(JsonWebToken token)
    {
        if (!token.TryGetPayloadValue(JwtRegisteredClaimNames.Exp, out long expires))
        {
            return TokenValidationFailure.MissingExpiration;
        }

        long now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        long skew = (long)ClockSkew.TotalSeconds;
        bool hasNotBefore = token.TryGetPayloadValue(JwtRegisteredClaimNames.Nbf, out long notBefore);
        if (hasNotBefore && notBefore > expires)
        {
            return TokenValidationFailure.InvalidLifetime;
        }

        if (now - skew >= expires)
        {
            return TokenValidationFailure.Expired;
        }

        if (hasNotBefore && now + skew < notBefore)
        {
            return TokenValidationFailure.NotYetValid;
        }

        return TokenValidationFailure.None;
    }

    private static string? ReadUnverified(JsonWebToken token, string claim) =>
        token.TryGetPayloadValue(claim, out string? value) ? value : null;

    private static TokenValidationFailure Classify(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => TokenValidationFailure.Expired,
        SecurityTokenNotYetValidException => TokenValidationFailure.NotYetValid,
        SecurityTokenNoExpirationException => TokenValidationFailure.MissingExpiration,
        SecurityTokenInvalidLifetimeException => TokenValidationFailure.InvalidLifetime,
        SecurityTokenInvalidAudienceException => TokenValidationFailure.InvalidAudience,
        SecurityTokenInvalidIssuerException => TokenValidationFailure.UntrustedIssuer,
        SecurityTokenInvalidAlgorithmException => TokenValidationFailure.AlgorithmNotAllowed,
        SecurityTokenSignatureKeyNotFoundException => TokenValidationFailure.UnknownSigningKey,
        SecurityTokenInvalidSignatureException => TokenValidationFailure.InvalidSignature,
        SecurityTokenMalformedException => TokenValidationFailure.MalformedToken,
        _ => TokenValidationFailure.Rejected,
    };
}
