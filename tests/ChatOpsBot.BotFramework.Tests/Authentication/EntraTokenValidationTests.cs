using ChatOpsBot.BotFramework.Authentication;
using ChatOpsBot.BotFramework.Tests.Fakes;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsBot.BotFramework.Tests.Authentication;

/// <summary>A SingleTenant bot also accepts Entra-issued channel tokens of its own tenant (reference A1.1).</summary>
public sealed class EntraTokenValidationTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "7c8e2f0a-51b3-4b0e-9a36-2f5d7c1e9b42";
    private const string Tenant = "50612dbb-0237-4969-b378-8d42590f9c00";
    private const string OtherTenant = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f";
    private const string ServiceUrl = "https://smba.trafficmanager.net/amer/50612dbb-0237-4969-b378-8d42590f9c00/";

    private readonly TestSigningKey _botFrameworkKey = new("bf-key", "msteams");
    private readonly TestSigningKey _entraKey = new("entra-key", endorsements: null);
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private FakeOpenIdServer _botFramework = null!;
    private FakeOpenIdServer _entra = null!;

    public async Task InitializeAsync()
    {
        _botFramework = await FakeOpenIdServer.StartAsync([_botFrameworkKey]);
        _entra = await FakeOpenIdServer.StartAsync([_entraKey], $"https://login.microsoftonline.com/{Tenant}/v2.0");
    }

    public async Task DisposeAsync()
    {
        await _botFramework.DisposeAsync();
        await _entra.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        _botFrameworkKey.Dispose();
        _entraKey.Dispose();
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/{0}/v2.0")]
    [InlineData("https://sts.windows.net/{0}/")]
    public async Task A_token_from_the_configured_tenant_signed_by_its_entra_keys_is_valid(string issuerFormat)
    {
        using BotTokenValidator validator = SingleTenantValidator();

        TokenValidationOutcome outcome = await ValidateAsync(validator, EntraToken(string.Format(System.Globalization.CultureInfo.InvariantCulture, issuerFormat, Tenant), Tenant));

        outcome.Failure.ShouldBe(TokenValidationFailure.None);
    }

    [Fact]
    public async Task A_token_from_another_tenant_is_refused_as_an_untrusted_issuer()
    {
        using BotTokenValidator validator = SingleTenantValidator();

        TokenValidationOutcome outcome = await ValidateAsync(validator, EntraToken($"https://login.microsoftonline.com/{OtherTenant}/v2.0", OtherTenant));

        outcome.Failure.ShouldBe(TokenValidationFailure.UntrustedIssuer);
        outcome.TenantId.ShouldBe(OtherTenant);
        _entra.KeySetRequests.ShouldBe(0);
    }

    [Fact]
    public async Task A_tenant_issuer_with_another_tid_claim_is_refused()
    {
        using BotTokenValidator validator = SingleTenantValidator();

        TokenValidationOutcome outcome = await ValidateAsync(validator, EntraToken($"https://login.microsoftonline.com/{Tenant}/v2.0", OtherTenant));

        outcome.Failure.ShouldBe(TokenValidationFailure.TenantMismatch);
    }

    [Fact]
    public async Task An_entra_token_must_carry_the_activity_service_url()
    {
        using BotTokenValidator validator = SingleTenantValidator();
        Dictionary<string, object> claims = EntraClaims($"https://login.microsoftonline.com/{Tenant}/v2.0", Tenant);
        claims.Remove("serviceurl");

        TokenValidationOutcome outcome = await ValidateAsync(validator, TestTokens.Sign(_entraKey, claims));

        outcome.Failure.ShouldBe(TokenValidationFailure.ServiceUrlMismatch);
    }

    [Fact]
    public async Task An_entra_token_signed_with_a_bot_framework_key_is_not_accepted()
    {
        using BotTokenValidator validator = SingleTenantValidator();
        string token = TestTokens.Sign(_botFrameworkKey, EntraClaims($"https://login.microsoftonline.com/{Tenant}/v2.0", Tenant));

        (await ValidateAsync(validator, token)).Failure.ShouldBe(TokenValidationFailure.UnknownSigningKey);
    }

    [Fact]
    public async Task Without_a_tenant_entra_tokens_are_refused_as_untrusted_issuers()
    {
        using var validator = new BotTokenValidator(
            new BotTokenValidationSettings(AppId) { BotFrameworkMetadataUrl = _botFramework.MetadataUrl },
            _http,
            _clock,
            NullLogger<BotTokenValidator>.Instance);

        TokenValidationOutcome outcome = await ValidateAsync(validator, EntraToken($"https://login.microsoftonline.com/{Tenant}/v2.0", Tenant));

        outcome.Failure.ShouldBe(TokenValidationFailure.UntrustedIssuer);
    }

    [Fact]
    public async Task Bot_framework_tokens_are_still_accepted_by_a_single_tenant_bot()
    {
        using BotTokenValidator validator = SingleTenantValidator();
        string token = TestTokens.Sign(_botFrameworkKey, TestTokens.ChannelClaims(AppId, ServiceUrl, _clock.GetUtcNow()));

        (await ValidateAsync(validator, token)).IsValid.ShouldBeTrue();
    }

    private BotTokenValidator SingleTenantValidator() => new(
        new BotTokenValidationSettings(AppId)
        {
            BotFrameworkMetadataUrl = _botFramework.MetadataUrl,
            EntraTenantId = Tenant,
            EntraMetadataUrl = _entra.MetadataUrl,
        },
        _http,
        _clock,
        NullLogger<BotTokenValidator>.Instance);

    private Dictionary<string, object> EntraClaims(string issuer, string tenantId)
    {
        Dictionary<string, object> claims = TestTokens.ChannelClaims(AppId, ServiceUrl, _clock.GetUtcNow());
        claims["iss"] = issuer;
        claims["tid"] = tenantId;
        return claims;
    }

    private string EntraToken(string issuer, string tenantId) => TestTokens.Sign(_entraKey, EntraClaims(issuer, tenantId));

    private static Task<TokenValidationOutcome> ValidateAsync(BotTokenValidator validator, string token) =>
        validator.ValidateAsync("Bearer " + token, "msteams", ServiceUrl, CancellationToken.None);
}
