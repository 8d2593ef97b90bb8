using System.Text.Json;
using ChatOpsBot.BotFramework.Connector;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.BotFramework.Tests.Connector;

/// <summary>
/// The connector as the host wires it (<c>AddBotFrameworkConnector</c>), talking to a fake Connector (http) and a fake
/// Entra token endpoint (https, self-signed) on 127.0.0.1, with an instant clock and captured logs.
/// </summary>
internal sealed class ConnectorHarness : IAsyncDisposable
{
    public const string AppId = "11111111-2222-3333-4444-555555555555";
    public const string AppSecret = "client-secret-that-must-never-leak";
    public const string TenantId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    private int _tokensIssued;

    private ConnectorHarness(FakeHttpServer connector, FakeHttpServer tokenEndpoint, FakeHttpServer untrusted)
    {
        Connector = connector;
        TokenEndpoint = tokenEndpoint;
        Untrusted = untrusted;
        tokenEndpoint.Handler = (context, _) => IssueToken(context);
        connector.Handler = (context, _) => Respond(context, 201, """{"id":"1777000000001"}""");
        untrusted.Handler = (context, _) => Respond(context, 201, """{"id":"stolen"}""");
    }

    public FakeHttpServer Connector { get; }

    public FakeHttpServer TokenEndpoint { get; }

    /// <summary>A server that is not on the trusted list: it must never receive anything.</summary>
    public FakeHttpServer Untrusted { get; }

    public InstantTimeProvider Time { get; } = new();

    public ListLoggerProvider Logs { get; } = new();

    public int TokenLifetimeSeconds { get; set; } = 3600;

    public ServiceProvider Services { get; private set; } = null!;

    public IConnectorClient Client => Services.GetRequiredService<IConnectorClient>();

    /// <summary>The trusted service URL (with a regional path, as Teams sends them).</summary>
    public string ServiceUrl => new Uri(Connector.BaseUri, "amer/").AbsoluteUri;

    public string LastIssuedToken => $"eyJ0eXAi.token-{_tokensIssued}";

    public static async Task<ConnectorHarness> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        ConnectorHarness harness = new(
            await FakeHttpServer.StartAsync(),
            await FakeHttpServer.StartAsync(https: true),
            await FakeHttpServer.StartAsync());
        Dictionary<string, string?> settings = new()
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = AppSecret,
            ["MicrosoftAppTenantId"] = TenantId,
            ["MicrosoftAppType"] = "SingleTenant",
            ["Bot:AuthorityHost"] = harness.TokenEndpoint.BaseUri.GetLeftPart(UriPartial.Authority),
            ["Bot:TrustedServiceUrls:0"] = harness.ServiceUrl,
            ["Bot:AllowInsecureServiceUrls"] = "true",
        };
        configure?.Invoke(settings);
        harness.Build(settings);
        return harness;
    }

    public static Task Respond(HttpContext context, int status, string? json = null, Action<IHeaderDictionary>? headers = null)
    {
        context.Response.StatusCode = status;
        headers?.Invoke(context.Response.Headers);
        if (json is null)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json);
    }

    public IReadOnlyList<RecordedRequest> TokenRequests => TokenEndpoint.Requests;

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Connector.DisposeAsync();
        await TokenEndpoint.DisposeAsync();
        await Untrusted.DisposeAsync();
    }

    private void Build(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        ServiceCollection services = new();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Time);
        services.AddBotFrameworkConnector(configuration);
        services.AddHttpClient(MsalHttpClientFactory.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => TokenEndpoint.CreateTrustingHandler());
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private Task IssueToken(HttpContext context)
    {
        int number = Interlocked.Increment(ref _tokensIssued);
        string body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = TokenLifetimeSeconds,
            ["ext_expires_in"] = TokenLifetimeSeconds,
            ["access_token"] = $"eyJ0eXAi.token-{number}",
        });
        return Respond(context, 200, body);
    }
}
