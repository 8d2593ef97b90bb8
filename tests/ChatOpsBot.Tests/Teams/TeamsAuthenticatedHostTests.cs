using System.Net;
using System.Text.Json;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Tests.Connector;
using ChatOpsBot.BotFramework.Tests.Fakes;
using ChatOpsBot.Storage;
using ChatOpsBot.Tests.Teams.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsBot.Tests.Teams;

/// <summary>
/// The real host with a bot registration: channel tokens signed by the fake Bot Framework OpenID server's key are
/// accepted, anything else is 401 before a turn runs; answers carry the bot's own token from a fake Entra endpoint.
/// </summary>
public sealed class TeamsAuthenticatedHostTests : IAsyncLifetime, IDisposable
{
    private const string AppId = "7c8e2f0a-51b3-4b0e-9a36-2f5d7c1e9b42";
    private const string TenantId = "56653e9d-2158-46ee-90d7-675c39642038";

    private readonly TestSigningKey _key = new("bf-key-1", "msteams");
    private readonly TestSigningKey _forger = new("bf-key-1", "msteams");
    private FakeOpenIdServer _openId = null!;
    private FakeHttpServer _tokenEndpoint = null!;
    private TeamsTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _openId = await FakeOpenIdServer.StartAsync([_key]);
        _tokenEndpoint = await FakeHttpServer.StartAsync(https: true);
        _tokenEndpoint.Handler = (context, _) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3600,
                ["ext_expires_in"] = 3600,
                ["access_token"] = "eyJ0eXAi.bot-outbound-token",
            }));
        };
        _host = await TeamsTestHost.StartAsync(
            settings =>
            {
                settings["MicrosoftAppId"] = AppId;
                settings["MicrosoftAppPassword"] = "client-secret-that-must-never-leak";
                settings["MicrosoftAppTenantId"] = TenantId;
                settings["MicrosoftAppType"] = "SingleTenant";
                settings["Bot:OpenIdMetadataUrl"] = _openId.MetadataUrl.ToString();
                settings["Bot:AllowInsecureServiceUrls"] = "true";
                settings["Bot:AuthorityHost"] = _tokenEndpoint.BaseUri.GetLeftPart(UriPartial.Authority);
            },
            services => services.AddHttpClient(MsalHttpClientFactory.ClientName)
                .ConfigurePrimaryHttpMessageHandler(() => _tokenEndpoint.CreateTrustingHandler()),
            trustConnector: true);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _openId.DisposeAsync();
        await _tokenEndpoint.DisposeAsync();
    }

    public void Dispose()
    {
        _key.Dispose();
        _forger.Dispose();
    }

    [Fact]
    public async Task A_validly_signed_message_is_answered_with_the_bots_token()
    {
        using HttpResponseMessage response = await _host.PostAsync(_host.Activities.Message("help"), Token(_key));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ConnectorCall help = await _host.Connector.WaitForCardAsync("ChatOpsBot commands");
        help.Authorization.ShouldBe("Bearer eyJ0eXAi.bot-outbound-token");
    }

    [Fact]
    public async Task A_forged_token_is_refused_with_401_before_any_turn()
    {
        using HttpResponseMessage forged = await _host.PostAsync(_host.Activities.Message("help"), Token(_forger));
        using HttpResponseMessage missing = await _host.PostAsync(_host.Activities.Message("help"));

        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await forged.Content.ReadAsStringAsync()).ShouldBeEmpty();
        missing.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _host.Services.GetRequiredService<IAuditLog>().LatestAsync(10, CancellationToken.None)).ShouldBeEmpty();
        _host.Connector.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_forged_install_event_stores_nothing()
    {
        using HttpResponseMessage forged = await _host.PostAsync(_host.Activities.InstallationUpdate(), Token(_forger));

        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _host.Services.GetRequiredService<IConversationStore>().ListAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Loopback_service_urls_are_not_trusted_with_an_app_id()
    {
        // A genuine token for an activity whose service URL is a loopback address off the trusted list.
        TeamsActivities offList = new("http://localhost:1/_connector/");
        using HttpResponseMessage response = await _host.PostAsync(offList.InstallationUpdate(), Token(_key, offList.ServiceUrl));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await _host.Logs.WaitForAsync(r => r.Message.Contains("welcome card", StringComparison.Ordinal));
        _host.Services.GetRequiredService<TrustedServiceUrlList>().TrustsLoopback.ShouldBeFalse();
        _host.Logs.Records.ShouldContain(r => r.Message.Contains("is not on Bot:TrustedServiceUrls", StringComparison.Ordinal));
        _host.Connector.Calls.ShouldBeEmpty();
    }

    private string Token(TestSigningKey key, string? serviceUrl = null) =>
        TestTokens.Sign(key, TestTokens.ChannelClaims(AppId, serviceUrl ?? _host.Connector.ServiceUrl, DateTimeOffset.UtcNow));
}
