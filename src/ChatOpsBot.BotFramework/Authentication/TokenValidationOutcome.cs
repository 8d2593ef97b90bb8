using System.Security.Claims;

namespace ChatOpsBot.BotFramework.Authentication;

/// <summary>Which check of the inbound token failed. The caller logs it; the HTTP answer is a bare 401 either way.</summary>
public enum TokenValidationFailure
{
    None,
    MissingAuthorizationHeader,
    MalformedAuthorizationHeader,
    MalformedToken,
    AlgorithmNotAllowed,
    UntrustedIssuer,
    MissingKeyId,
    SigningKeysUnavailable,
    UnknownSigningKey,
    InvalidSignature,
    MissingExpiration,
    Expired,
    NotYetValid,
    InvalidLifetime,
    InvalidAudience,
    TenantMismatch,
    ChannelNotEndorsed,
    ServiceUrlMismatch,
    Rejected,
}

/// <summary>
/// The result of validating a Bot Framework channel token. On failure <see cref="Issuer"/> and <see cref="TenantId"/>
/// are the token's unverified claims, already made safe for a log line (the reference asks to log them on 401s, as
/// Azure Bot Service is moving channels to Entra-issued tokens); they must not be trusted for anything else.
/// </summary>
public sealed record TokenValidationOutcome(
    TokenValidationFailure Failure,
    ClaimsIdentity? Identity,
    string? Issuer,
    string? TenantId)
{
    public bool IsValid => Failure == TokenValidationFailure.None;

    internal static TokenValidationOutcome Fail(TokenValidationFailure failure, string? issuer = null, string? tenantId = null) =>
        new(failure, null, LogText.Safe(issuer), LogText.Safe(tenantId));
}
