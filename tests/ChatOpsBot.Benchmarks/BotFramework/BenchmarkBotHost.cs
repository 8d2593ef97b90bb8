using System.Text.Json.Nodes;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Benchmarks.BotFramework;

/// <summary>
/// What the Bot Framework benchmarks run against: the fake Bot Framework OpenID server (test RSA key, endorsed for
/// msteams) and a Kestrel host on 127.0.0.1 with the real <c>AddBotFramework</c>/<c>MapBotFramework</c>, a bot that
/// does nothing and a Connector that is never called.
/// </summary>
internal sealed class BenchmarkBotHost : IAsyncDisposable
{
    public const string AppId = "7c8e2f0a-51b3-4b0e-9a36-2f5d7c1e9b42";
    public const string TenantId = "56653e9d-2158-46ee-90d7-675c39642038";
    public const string ServiceUrl = "https://smba.trafficmanager.net/amer/56653e9d-2158-46ee-90d7-675c39642038/";

    private readonly WebApplication? _app;

    private BenchmarkBotHost(TestSigningKey key, FakeOpenIdServer openId, WebApplication? app)
    {
        Key = key;
        OpenId = openId;
        _app = app;
        BaseUrl = app is null ? null : new Uri(app.Urls.First() + "/");
    }

    public TestSigningKey Key { get; }

    public FakeOpenIdServer OpenId { get; }

    public Uri? BaseUrl { get; }

    public static async Task<BenchmarkBotHost> StartAsync(bool withBotHost)
    {
        var key = new TestSigningKey("bench-key", "msteams");
        FakeOpenIdServer openId = await FakeOpenIdServer.StartAsync([key]);
        if (!withBotHost)
        {
            return new BenchmarkBotHost(key, openId, null);
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = "benchmark-secret-not-used",
            ["MicrosoftAppTenantId"] = TenantId,
            ["MicrosoftAppType"] = "SingleTenant",
            ["Bot:OpenIdMetadataUrl"] = openId.MetadataUrl.ToString(),
            ["Bot:AllowInsecureServiceUrls"] = "true",
            ["Bot:TrustedServiceUrls:0"] = "https://smba.trafficmanager.net/",
        });
        builder.Services.AddBotFramework(builder.Configuration);
        builder.Services.AddSingleton<IBot>(new TeamsBotApplication().OnMessage((_, _) => Task.CompletedTask));
        builder.Services.AddSingleton<IConnectorClient, UnusedConnector>();
        WebApplication app = builder.Build();
        app.MapBotFramework();
        await app.StartAsync();
        return new BenchmarkBotHost(key, openId, app);
    }

    public string Token(DateTimeOffset now) => TestTokens.Sign(Key, TestTokens.ChannelClaims(AppId, ServiceUrl, now));

    /// <summary>A personal-chat message of the size Teams sends (with the HTML rendering and client info), id <paramref name="id"/>.</summary>
    public static string Message(string id) => new JsonObject
    {
        ["type"] = "message",
        ["id"] = id,
        ["timestamp"] = "2026-01-07T06:04:59.89Z",
        ["localTimestamp"] = "2026-01-06T22:04:59.89-08:00",
        ["serviceUrl"] = ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = "29:1uMVvhoAyfTqdMsyvHL0qlJTTfQF9MOUSI8_cQts2kdSWEZVDyJO2jz-CsNOhQcdYq1Bw4cHT0__O6XDj4AZ-Jw", ["name"] = "Rido", ["aadObjectId"] = "c5e99701-2a32-49c1-a660-4629ceeb8c61" },
        ["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = TenantId, ["id"] = "a:17vxw6pGQOb3Zfh8acXT8m_PqHycYpaFgzu2mFMUfkT-h0UskMctq5ZPPc7FIQxn2bx7rBSm5yE_HeUXsCcKZBrv77RgorB3_1_pAdvMhi39ClxQgawzyQ9GBFkdiwOxT" },
        ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "ChatOpsBot" },
        ["textFormat"] = "plain",
        ["text"] = "audit-config",
        ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "text/html", ["content"] = "<p>audit-config</p>" }),
        ["entities"] = new JsonArray(new JsonObject { ["type"] = "clientInfo", ["locale"] = "en-US", ["country"] = "US", ["platform"] = "Web", ["timezone"] = "America/Los_Angeles" }),
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } },
        ["locale"] = "en-US",
        ["localTimezone"] = "America/Los_Angeles",
    }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await OpenId.DisposeAsync();
        Key.Dispose();
    }

    private sealed class UnusedConnector : IConnectorClient
    {
        public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
