using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Tests.Connector;
using ChatOpsBot.BotFramework.Tests.Fakes;
using ChatOpsBot.BotFramework.Tests.Schema;

namespace ChatOpsBot.BotFramework.Tests.Hosting;

/// <summary>
/// <c>POST /api/messages</c> through Kestrel, wired as the host wires it: the fake Bot Framework OpenID server's keys
/// sign the channel tokens, the adapter validates them, the bot's turn runs inline, and its replies go through the
/// real Connector client (token from a fake Entra endpoint) to a fake Connector, all on 127.0.0.1.
/// </summary>
public sealed class BotEndpointFunctionalTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "7c8e2f0a-51b3-4b0e-9a36-2f5d7c1e9b42";
    private const string TenantId = "56653e9d-2158-46ee-90d7-675c39642038";

    private readonly TestSigningKey _key = new("bf-key-1", "msteams");
    private readonly TurnCounter _turns = new();
    private FakeOpenIdServer _openId = null!;
    private FakeHttpServer _connector = null!;
    private FakeHttpServer _tokenEndpoint = null!;
    private BotHost _host = null!;
    private int _tokensIssued;

    private string ServiceUrl => new Uri(_connector.BaseUri, "amer/").AbsoluteUri;

    public async Task InitializeAsync()
    {
        _openId = await FakeOpenIdServer.StartAsync([_key]);
        _connector = await FakeHttpServer.StartAsync();
        _connector.Handler = (context, _) => ConnectorHarness.Respond(context, 201, "{\"id\":\"1777000000001\"}");
        _tokenEndpoint = await FakeHttpServer.StartAsync(https: true);
        _tokenEndpoint.Handler = (context, _) => ConnectorHarness.Respond(context, 200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["ext_expires_in"] = 3600,
            ["access_token"] = $"eyJ0eXAi.bot-token-{Interlocked.Increment(ref _tokensIssued)}",
        }));
        _host = await StartHostAsync(AppId);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _openId.DisposeAsync();
        await _connector.DisposeAsync();
        await _tokenEndpoint.DisposeAsync();
    }

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task A_signed_message_is_acknowledged_with_an_empty_200_and_the_reply_reaches_the_connector()
    {
        string activity = PersonalMessage("ping");

        using HttpResponseMessage response = await _host.PostActivityAsync(activity, Token());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        _turns.Count.ShouldBe(1);
        RecordedRequest reply = _connector.Requests.ShouldHaveSingleItem();
        string conversationId = JsonNode.Parse(activity)!["conversation"]!["id"]!.GetValue<string>();
        reply.Method.ShouldBe("POST");
        reply.RawTarget.ShouldBe($"/amer/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/1485983408511");
        reply.Header("Authorization").ShouldBe("Bearer eyJ0eXAi.bot-token-1");
        JsonNode sent = JsonNode.Parse(reply.Body)!;
        sent["text"]!.GetValue<string>().ShouldBe("pong: ping");
        sent["replyToId"]!.GetValue<string>().ShouldBe("1485983408511");
        sent["from"]!["id"]!.GetValue<string>().ShouldBe("28:c9e8c047-2a74-40a2-b28a-b162d5f5327c");
    }

    public static TheoryData<string> RefusedTokens() =>
    [
        "forged", "expired", "wrong-audience", "wrong-issuer", "wrong-serviceurl", "unendorsed", "unsigned", "hs256", "missing",
    ];

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task A_bad_token_gets_a_bare_401_and_no_turn_runs(string kind)
    {
        using var forger = new TestSigningKey("bf-key-1", "msteams");
        using var unendorsed = new TestSigningKey("bf-key-2", "webchat");
        _openId.Publish(_key, unendorsed);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Dictionary<string, object> claims = TestTokens.ChannelClaims(AppId, ServiceUrl, now);
        string? token = kind switch
        {
            "forged" => TestTokens.Sign(forger, claims),
            "expired" => TestTokens.Sign(_key, With(claims, ("nbf", now.AddHours(-2).ToUnixTimeSeconds()), ("exp", now.AddMinutes(-6).ToUnixTimeSeconds()))),
            "wrong-audience" => TestTokens.Sign(_key, With(claims, ("aud", "11111111-2222-3333-4444-555555555555"))),
            "wrong-issuer" => TestTokens.Sign(_key, With(claims, ("iss", "https://attacker.example"))),
            "wrong-serviceurl" => TestTokens.Sign(_key, With(claims, ("serviceurl", "https://smba.trafficmanager.net/amer/"))),
            "unendorsed" => TestTokens.Sign(unendorsed, claims),
            "unsigned" => TestTokens.WithoutSignature(claims, _key.KeyId),
            "hs256" => TestTokens.HmacWithPublicKey(_key, claims),
            _ => null,
        };

        using HttpResponseMessage response = await _host.PostActivityAsync(PersonalMessage("ping"), token);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        _turns.Count.ShouldBe(0);
        _connector.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_redelivered_activity_is_acknowledged_but_its_turn_runs_once()
    {
        string activity = PersonalMessage("ping");

        using HttpResponseMessage first = await _host.PostActivityAsync(activity, Token());
        using HttpResponseMessage retry = await _host.PostActivityAsync(activity, Token());

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        _turns.Count.ShouldBe(1);
        _connector.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_action_execute_invoke_gets_its_invoke_response_in_the_body()
    {
        string invoke = Samples.Read("teams-adaptivecard-action-invoke.json");
        string serviceUrl = JsonNode.Parse(invoke)!["serviceUrl"]!.GetValue<string>();

        using HttpResponseMessage response = await _host.PostActivityAsync(invoke, Token(serviceUrl));
        _connector.Requests.ShouldBeEmpty();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        JsonNode body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["statusCode"]!.GetValue<int>().ShouldBe(200);
        body["type"]!.GetValue<string>().ShouldBe("application/vnd.microsoft.card.adaptive");
        body["value"]!["body"]![0]!["text"]!.GetValue<string>().ShouldBe("Thanks for: test invokes");
    }

    [Fact]
    public async Task An_invoke_the_bot_does_not_handle_is_answered_501()
    {
        JsonNode invoke = JsonNode.Parse(Samples.Read("teams-adaptivecard-action-invoke.json"))!;
        invoke["name"] = "composeExtension/query";
        string serviceUrl = invoke["serviceUrl"]!.GetValue<string>();

        using HttpResponseMessage response = await _host.PostActivityAsync(invoke.ToJsonString(), Token(serviceUrl));

        response.StatusCode.ShouldBe(HttpStatusCode.NotImplemented);
    }

    [Fact]
    public async Task Anonymous_mode_accepts_unauthenticated_traffic()
    {
        await using BotHost anonymous = await StartHostAsync(appId: "");

        using HttpResponseMessage response = await anonymous.PostActivityAsync(PersonalMessage("ping"), bearerToken: null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _turns.Count.ShouldBe(1);
        RecordedRequest reply = _connector.Requests.ShouldHaveSingleItem();
        reply.Header("Authorization").ShouldBeNull();
        JsonNode.Parse(reply.Body)!["text"]!.GetValue<string>().ShouldBe("pong: ping");
        _tokenEndpoint.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_body_over_the_cap_is_refused_413()
    {
        JsonNode activity = JsonNode.Parse(PersonalMessage("ping"))!;
        activity["text"] = new string('x', Hosting_MaxBytes());

        using HttpResponseMessage response = await _host.PostActivityAsync(activity.ToJsonString(), Token());

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        _turns.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_415()
    {
        using HttpResponseMessage response = await _host.PostActivityAsync(PersonalMessage("ping"), Token(), contentType: "text/plain");

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("{\"type\":\"message\",\"text\":\"<script>\"")]
    [InlineData("{\"text\":\"no type\"}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"type\":\"message\",\"serviceUrl\":\"a\",\"serviceUrl\":\"b\"}")]
    // Unpaired surrogates where the activity keeps raw JSON (value, channelData, unknown members): it could not be
    // written back when a conversation reference is stored or the activity echoed.
    [InlineData("{\"type\":\"message\",\"value\":{\"a\":\"x\\ud800y\"}}")]
    [InlineData("{\"type\":\"message\",\"channelData\":{\"tenant\":{\"id\":\"\\udc00\"}}}")]
    [InlineData("{\"type\":\"message\",\"unknownMember\":[\"\\ud83d\"]}")]
    public async Task A_malformed_activity_is_refused_400_without_echoing_it(string body)
    {
        using HttpResponseMessage response = await _host.PostActivityAsync(body, Token());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        _turns.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_failing_turn_answers_500_without_detail()
    {
        using HttpResponseMessage response = await _host.PostActivityAsync(PersonalMessage("crash"), Token());

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("secret detail");
    }

    [Fact]
    public async Task A_failing_card_action_invoke_answers_500_with_an_error_body_without_detail()
    {
        JsonNode invoke = JsonNode.Parse(Samples.Read("teams-adaptivecard-action-invoke.json"))!;
        invoke["value"]!["action"]!["data"]!["feedback"] = "crash";
        string serviceUrl = invoke["serviceUrl"]!.GetValue<string>();

        using HttpResponseMessage response = await _host.PostActivityAsync(invoke.ToJsonString(), Token(serviceUrl));

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        string text = await response.Content.ReadAsStringAsync();
        text.ShouldNotContain("secret detail");
        JsonNode.Parse(text)!["type"]!.GetValue<string>().ShouldBe("application/vnd.microsoft.error");
    }

    [Fact]
    public async Task A_redelivery_of_a_failed_turn_is_not_run_again()
    {
        string activity = PersonalMessage("crash");

        using HttpResponseMessage first = await _host.PostActivityAsync(activity, Token());
        using HttpResponseMessage retry = await _host.PostActivityAsync(activity, Token());

        first.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        _turns.Count.ShouldBe(1);
    }

    private static int Hosting_MaxBytes() => ChatOpsBot.BotFramework.Hosting.BotFrameworkAdapter.MaxActivityBytes;

    private Task<BotHost> StartHostAsync(string appId)
    {
        TeamsBotApplication bot = new TeamsBotApplication()
            .OnMessage("^crash$", (ctx, ct) =>
            {
                _turns.Increment();
                throw new InvalidOperationException("secret detail");
            })
            .OnMessage(async (ctx, ct) =>
            {
                _turns.Increment();
                await ctx.SendActivityAsync("pong: " + ctx.Text, ct);
            })
            .OnCardAction((ctx, action, ct) =>
            {
                _turns.Increment();
                string feedback = action.Data.GetProperty("feedback").GetString()!;
                if (feedback == "crash")
                {
                    throw new InvalidOperationException("secret detail");
                }

                JsonElement card = JsonSerializer.SerializeToElement(new
                {
                    type = "AdaptiveCard",
                    version = "1.5",
                    body = new[] { new { type = "TextBlock", text = "Thanks for: " + feedback } },
                });
                return Task.FromResult<AdaptiveCardInvokeResponse?>(AdaptiveCardInvokeResponse.Card(card));
            });

        return BotHost.StartAsync(
            bot,
            new Dictionary<string, string?>
            {
                ["MicrosoftAppId"] = appId,
                ["MicrosoftAppPassword"] = appId.Length == 0 ? "" : "test-secret-not-used",
                ["MicrosoftAppTenantId"] = TenantId,
                ["MicrosoftAppType"] = "SingleTenant",
                ["Bot:OpenIdMetadataUrl"] = _openId.MetadataUrl.ToString(),
                ["Bot:AllowInsecureServiceUrls"] = "true",
                ["Bot:TrustedServiceUrls:0"] = ServiceUrl,
                ["Bot:AuthorityHost"] = _tokenEndpoint.BaseUri.GetLeftPart(UriPartial.Authority),
            },
            services => services.AddHttpClient(MsalHttpClientFactory.ClientName)
                .ConfigurePrimaryHttpMessageHandler(() => _tokenEndpoint.CreateTrustingHandler()));
    }

    private string Token(string? serviceUrl = null) =>
        TestTokens.Sign(_key, TestTokens.ChannelClaims(AppId, serviceUrl ?? ServiceUrl, DateTimeOffset.UtcNow));

    private string PersonalMessage(string text)
    {
        JsonNode activity = JsonNode.Parse(Samples.Read("teams-personal-message.json"))!;
        activity["text"] = text;
        activity["serviceUrl"] = ServiceUrl;
        return activity.ToJsonString();
    }

    private static Dictionary<string, object> With(Dictionary<string, object> claims, params (string Name, object Value)[] changes)
    {
        var changed = new Dictionary<string, object>(claims);
        foreach ((string name, object value) in changes)
        {
            changed[name] = value;
        }

        return changed;
    }

    private sealed class TurnCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }
}
