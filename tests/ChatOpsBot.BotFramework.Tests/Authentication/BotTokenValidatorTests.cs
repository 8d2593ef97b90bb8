using ChatOpsBot.BotFramework.Authentication;
using ChatOpsBot.BotFramework.Tests.Fakes;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsBot.BotFramework.Tests.Authentication;

public sealed class BotTokenValidatorTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "7c8e2f0a-51b3-4b0e-9a36-2f5d7c1e9b42";
    private const string Channel = "msteams";
    private const string ServiceUrl = "https://smba.trafficmanager.net/amer/50612dbb-0237-4969-b378-8d42590f9c00/";

    private readonly TestSigningKey _key = new("key-1", "msteams", "skype");
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private FakeOpenIdServer _server = null!;
    private BotTokenValidator _validator = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenIdServer.StartAsync([_key]);
        _validator = NewValidator(new BotTokenValidationSettings(AppId) { BotFrameworkMetadataUrl = _server.MetadataUrl });
    }

    public async Task DisposeAsync()
    {
        _validator.Dispose();
        await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        _key.Dispose();
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    public async Task A_channel_token_signed_by_a_published_endorsed_key_is_valid(string algorithm)
    {
        string token = TestTokens.Sign(_key, Claims(), algorithm);

        TokenValidationOutcome outcome = await ValidateAsync(token);

        outcome.Failure.ShouldBe(TokenValidationFailure.None);
        outcome.IsValid.ShouldBeTrue();
        outcome.Identity.ShouldNotBeNull();
        outcome.Identity!.FindFirst("serviceurl")!.Value.ShouldBe(ServiceUrl);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_under_a_published_kid_has_an_invalid_signature()
    {
        using var forger = new TestSigningKey("key-1", "msteams");
        string token = TestTokens.Sign(forger, Claims());

        (await ValidateAsync(token)).Failure.ShouldBe(TokenValidationFailure.InvalidSignature);
    }

    [Fact]
    public async Task A_token_whose_payload_was_changed_after_signing_has_an_invalid_signature()
    {
        string token = TestTokens.Sign(_key, Claims());
        string[] parts = token.Split('.');
        Dictionary<string, object> tampered = Claims();
        tampered["aud"] = AppId;
        tampered["serviceurl"] = "https://attacker.example/";
        string forged = parts[0] + "." + TestTokens.WithoutSignature(tampered, "key-1").Split('.')[1] + "." + parts[2];

        (await ValidateAsync(forged, serviceUrl: "https://attacker.example/")).Failure.ShouldBe(TokenValidationFailure.InvalidSignature);
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_refused()
    {
        string token = TestTokens.WithoutSignature(Claims(), _key.KeyId);

        (await ValidateAsync(token)).Failure.ShouldBe(TokenValidationFailure.AlgorithmNotAllowed);
    }

    [Fact]
    public async Task An_HS256_token_keyed_with_the_public_key_is_refused()
    {
        string token = TestTokens.HmacWithPublicKey(_key, Claims());

        (await ValidateAsync(token)).Failure.ShouldBe(TokenValidationFailure.AlgorithmNotAllowed);
    }

    [Fact]
    public async Task A_token_expired_more_than_five_minutes_ago_is_expired()
    {
        Dictionary<string, object> claims = Claims();
        claims["nbf"] = _clock.GetUtcNow().AddHours(-1).ToUnixTimeSeconds();
        claims["exp"] = _clock.GetUtcNow().AddMinutes(-5).AddSeconds(-1).ToUnixTimeSeconds();

        (await ValidateAsync(TestTokens.Sign(_key, claims))).Failure.ShouldBe(TokenValidationFailure.Expired);
    }

    [Fact]
    public async Task A_token_expired_less_than_five_minutes_ago_is_within_the_clock_skew()
    {
        Dictionary<string, object> claims = Claims();
        claims["nbf"] = _clock.GetUtcNow().AddHours(-1).ToUnixTimeSeconds();
        claims["exp"] = _clock.GetUtcNow().AddMinutes(-4).ToUnixTimeSeconds();

        (await ValidateAsync(TestTokens.Sign(_key, claims))).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task A_token_valid_only_from_more_than_five_minutes_on_is_not_yet_valid()
    {
        Dictionary<string, object> claims = Claims();
        claims["nbf"] = _clock.GetUtcNow().AddMinutes(5).AddSeconds(1).ToUnixTimeSeconds();

        (await ValidateAsync(TestTokens.Sign(_key, claims))).Failure.ShouldBe(TokenValidationFailure.NotYetValid);
    }

    [Fact]
    public async Task A_token_valid_from_less_than_five_minutes_on_is_within_the_clock_skew()
    {
        Dictionary<string, object> claims = Claims();
        claims["nbf"] = _clock.GetUtcNow().AddMinutes(4).ToUnixTimeSeconds();

        (await ValidateAsync(TestTokens.Sign(_key, claims))).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task A_token_without_an_expiry_is_refused()
    {
        Dictionary<string, object> claims = Claims();
        claims.Remove("exp");

        (await ValidateAsync(TestTokens.Sign(_key, claims))).Failure.ShouldBe(TokenValidationFailure.MissingExpiration);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("https://api.botframework.com")]
    [InlineData("")]
    public async Task A_token_for_another_audience_is_refused(string audience)
    {
        Dictionary<string, object> claims = Claims();
        claims["aud"] = audience;

        (await ValidateAsync(TestTokens.Sign(_key, claims))).Failure.ShouldBe(TokenValidationFailure.InvalidAudience);
    }

    [Fact]
    public async Task A_token_without_an_audience_is_refused()
    {
        Dictionary<string, object> claims = Claims();
        claims.Remove("aud");

        (await ValidateAsync(TestTokens.Sign(_key, claims))).Failure.ShouldBe(TokenValidationFailure.InvalidAudience);
    }

    [Theory]
    [InlineData("https://api.botframework.com.attacker.example")]
    [InlineData("https://API.botframework.com")]
    [InlineData("https://sts.windows.net/50612dbb-0237-4969-b378-8d42590f9c00/")]
    public async Task A_token_from_an_untrusted_issuer_is_refused_before_any_key_is_fetched(string issuer)
    {
        Dictionary<string, object> claims = Claims();
        claims["iss"] = issuer;

        TokenValidationOutcome outcome = await ValidateAsync(TestTokens.Sign(_key, claims));

        outcome.Failure.ShouldBe(TokenValidationFailure.UntrustedIssuer);
        outcome.Issuer.ShouldBe(issuer);
        _server.KeySetRequests.ShouldBe(0);
    }

    [Fact]
    public async Task The_unverified_issuer_of_a_refused_token_is_made_safe_for_a_log_line()
    {
        Dictionary<string, object> claims = Claims();
        claims["iss"] = "https://evil.example/\nINFO forged log line" + new string('x', 500);

        TokenValidationOutcome outcome = await ValidateAsync(TestTokens.Sign(_key, claims));

        outcome.Failure.ShouldBe(TokenValidationFailure.UntrustedIssuer);
        outcome.Issuer!.ShouldNotContain("\n");
        outcome.Issuer!.Length.ShouldBeLessThanOrEqualTo(LogText.MaxChars + 3);
    }

    [Fact]
    public async Task A_token_for_another_service_url_is_refused()
    {
        string token = TestTokens.Sign(_key, Claims());

        (await ValidateAsync(token, serviceUrl: "https://smba.trafficmanager.net/emea/")).Failure
            .ShouldBe(TokenValidationFailure.ServiceUrlMismatch);
    }

    [Fact]
    public async Task A_token_without_a_serviceurl_claim_is_refused()
    {
        Dictionary<string, object> claims = Claims();
        claims.Remove("serviceurl");

        (await ValidateAsync(TestTokens.Sign(_key, claims))).Failure.ShouldBe(TokenValidationFailure.ServiceUrlMismatch);
    }

    [Fact]
    public async Task The_service_url_is_compared_ignoring_case_as_the_sdk_does()
    {
        string token = TestTokens.Sign(_key, Claims());

        (await ValidateAsync(token, serviceUrl: ServiceUrl.ToUpperInvariant())).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task A_key_not_endorsed_for_the_activity_channel_is_refused()
    {
        using var slackOnly = new TestSigningKey("key-slack", "slack");
        _server.Publish(_key, slackOnly);

        (await ValidateAsync(TestTokens.Sign(slackOnly, Claims()))).Failure.ShouldBe(TokenValidationFailure.ChannelNotEndorsed);
    }

    [Fact]
    public async Task A_key_published_without_endorsements_is_refused()
    {
        using var bare = new TestSigningKey("key-bare", endorsements: null);
        _server.Publish(_key, bare);

        (await ValidateAsync(TestTokens.Sign(bare, Claims()))).Failure.ShouldBe(TokenValidationFailure.ChannelNotEndorsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("webchat")]
    public async Task An_activity_whose_channel_the_key_does_not_endorse_is_refused(string? channelId)
    {
        string token = TestTokens.Sign(_key, Claims());

        (await ValidateAsync(token, channelId: channelId)).Failure.ShouldBe(TokenValidationFailure.ChannelNotEndorsed);
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_the_key_set_once_and_a_rolled_over_key_is_then_accepted()
    {
        (await ValidateAsync(TestTokens.Sign(_key, Claims()))).IsValid.ShouldBeTrue();
        _server.KeySetRequests.ShouldBe(1);
        using var next = new TestSigningKey("key-2", "msteams");
        _server.Publish(_key, next);

        TokenValidationOutcome outcome = await ValidateAsync(TestTokens.Sign(next, Claims()));

        outcome.IsValid.ShouldBeTrue();
        _server.KeySetRequests.ShouldBe(2);
        (await ValidateAsync(TestTokens.Sign(next, Claims()))).IsValid.ShouldBeTrue();
        _server.KeySetRequests.ShouldBe(2);
    }

    [Fact]
    public async Task A_second_unknown_kid_within_five_minutes_does_not_fetch_the_keys_again()
    {
        (await ValidateAsync(TestTokens.Sign(_key, Claims()))).IsValid.ShouldBeTrue();
        using var unknown1 = new TestSigningKey("unknown-1", "msteams");
        using var unknown2 = new TestSigningKey("unknown-2", "msteams");
        (await ValidateAsync(TestTokens.Sign(unknown1, Claims()))).Failure.ShouldBe(TokenValidationFailure.UnknownSigningKey);
        _server.KeySetRequests.ShouldBe(2);

        _clock.Advance(TimeSpan.FromMinutes(4));
        (await ValidateAsync(TestTokens.Sign(unknown2, Claims()))).Failure.ShouldBe(TokenValidationFailure.UnknownSigningKey);
        _server.KeySetRequests.ShouldBe(2);

        _clock.Advance(TimeSpan.FromMinutes(1));
        _server.Publish(_key, unknown2);
        (await ValidateAsync(TestTokens.Sign(unknown2, Claims()))).IsValid.ShouldBeTrue();
        _server.KeySetRequests.ShouldBe(3);
    }

    [Fact]
    public async Task A_stale_key_set_is_refreshed_and_a_failed_refresh_keeps_the_cached_keys()
    {
        (await ValidateAsync(TestTokens.Sign(_key, Claims()))).IsValid.ShouldBeTrue();
        _server.IsDown = true;
        _clock.Advance(TimeSpan.FromHours(13));

        TokenValidationOutcome outcome = await ValidateAsync(TestTokens.Sign(_key, Claims()));

        outcome.IsValid.ShouldBeTrue();
        _server.MetadataRequests.ShouldBe(2);
    }

    [Fact]
    public async Task A_key_set_older_than_twelve_hours_is_replaced_by_the_published_one()
    {
        (await ValidateAsync(TestTokens.Sign(_key, Claims()))).IsValid.ShouldBeTrue();
        using var replacement = new TestSigningKey("key-2", "msteams");
        _server.Publish(replacement);
        _clock.Advance(TimeSpan.FromHours(12));

        (await ValidateAsync(TestTokens.Sign(_key, Claims()))).Failure.ShouldBe(TokenValidationFailure.UnknownSigningKey);
        (await ValidateAsync(TestTokens.Sign(replacement, Claims()))).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task With_the_metadata_server_down_and_no_keys_cached_tokens_are_refused_without_throwing()
    {
        _server.IsDown = true;

        TokenValidationOutcome outcome = await ValidateAsync(TestTokens.Sign(_key, Claims()));

        outcome.Failure.ShouldBe(TokenValidationFailure.SigningKeysUnavailable);
    }

    [Fact]
    public async Task Without_keys_a_failed_fetch_is_retried_after_ten_seconds_not_on_every_request()
    {
        _server.IsDown = true;
        (await ValidateAsync(TestTokens.Sign(_key, Claims()))).Failure.ShouldBe(TokenValidationFailure.SigningKeysUnavailable);
        (await ValidateAsync(TestTokens.Sign(_key, Claims()))).Failure.ShouldBe(TokenValidationFailure.SigningKeysUnavailable);
        _server.MetadataRequests.ShouldBe(1);

        _server.IsDown = false;
        _clock.Advance(TimeSpan.FromSeconds(10));

        (await ValidateAsync(TestTokens.Sign(_key, Claims()))).IsValid.ShouldBeTrue();
        _server.MetadataRequests.ShouldBe(2);
    }

    [Fact]
    public async Task Concurrent_requests_share_one_key_fetch()
    {
        string token = TestTokens.Sign(_key, Claims());

        TokenValidationOutcome[] outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ValidateAsync(token)));

        outcomes.ShouldAllBe(o => o.IsValid);
        _server.KeySetRequests.ShouldBe(1);
    }

    [Theory]
    [InlineData(null, TokenValidationFailure.MissingAuthorizationHeader)]
    [InlineData("", TokenValidationFailure.MissingAuthorizationHeader)]
    [InlineData("Bearer", TokenValidationFailure.MalformedAuthorizationHeader)]
    [InlineData("Bearer ", TokenValidationFailure.MalformedAuthorizationHeader)]
    [InlineData("Basic dXNlcjpwYXNz", TokenValidationFailure.MalformedAuthorizationHeader)]
    [InlineData("Bearer a b", TokenValidationFailure.MalformedAuthorizationHeader)]
    [InlineData("Bearer not-a-jwt", TokenValidationFailure.MalformedToken)]
    public async Task A_missing_or_malformed_authorization_header_is_refused(string? header, TokenValidationFailure expected)
    {
        (await _validator.ValidateAsync(header, Channel, ServiceUrl, CancellationToken.None)).Failure.ShouldBe(expected);
    }

    [Fact]
    public async Task The_bearer_scheme_is_matched_case_sensitively_like_the_sdk()
    {
        string token = TestTokens.Sign(_key, Claims());

        (await _validator.ValidateAsync("bearer " + token, Channel, ServiceUrl, CancellationToken.None)).Failure
            .ShouldBe(TokenValidationFailure.MalformedAuthorizationHeader);
    }

    [Fact]
    public async Task An_oversized_token_is_refused_without_parsing()
    {
        string token = TestTokens.Sign(_key, Claims()) + new string('A', BotTokenValidator.MaxTokenLength);

        (await ValidateAsync(token)).Failure.ShouldBe(TokenValidationFailure.MalformedToken);
    }

    [Fact]
    public async Task A_token_without_a_kid_is_refused()
    {
        string token = TestTokens.Sign(_key, Claims(), keyId: "");

        (await ValidateAsync(token)).Failure.ShouldBe(TokenValidationFailure.MissingKeyId);
    }

    [Theory]
    [InlineData("http://login.botframework.com/v1/.well-known/openidconfiguration")]
    [InlineData("http://10.0.0.5/v1/.well-known/openidconfiguration")]
    [InlineData("https://user:secret@login.botframework.com/v1/.well-known/openidconfiguration")]
    public void Metadata_over_plain_http_is_refused_except_on_loopback(string url)
    {
        Should.Throw<ArgumentException>(() => NewValidator(new BotTokenValidationSettings(AppId) { BotFrameworkMetadataUrl = new Uri(url) }));
    }

    [Fact]
    public void An_empty_app_id_cannot_validate_tokens()
    {
        Should.Throw<ArgumentException>(() => NewValidator(new BotTokenValidationSettings("")));
    }

    private BotTokenValidator NewValidator(BotTokenValidationSettings settings) =>
        new(settings, _http, _clock, NullLogger<BotTokenValidator>.Instance);

    private Dictionary<string, object> Claims() => TestTokens.ChannelClaims(AppId, ServiceUrl, _clock.GetUtcNow());

    private Task<TokenValidationOutcome> ValidateAsync(string token, string? channelId = Channel, string serviceUrl = ServiceUrl) =>
        _validator.ValidateAsync("Bearer " + token, channelId, serviceUrl, CancellationToken.None);
}
