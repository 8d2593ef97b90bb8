using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ChatOpsBot.Integrations.Graph;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Integrations.Tests.Graph;

/// <summary>
/// The real MSAL path of <see cref="GraphTokenProvider"/>: client credentials against a fake Entra token endpoint that
/// speaks the documented form and answer (<c>POST /{tenant}/oauth2/v2.0/token</c> →
/// <c>{"token_type":"Bearer","expires_in":…,"access_token":…}</c>), reached through the provider's own named HTTP client.
/// </summary>
public sealed class GraphTokenProviderTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "00000000-0000-0000-0000-0000000000aa";
    private const string AuthorityHost = "https://login.entra.test";
    private const string Secret = "graph-client-secret-do-not-log";
    private const string IssuedToken = "entra-issued-graph-token-51d2";

    private readonly FakeEntra _entra = new();
    private FakeGraphServer _graph = null!;

    public async Task InitializeAsync() => _graph = await FakeGraphServer.StartAsync();

    public async Task DisposeAsync() => await _graph.DisposeAsync();

    public void Dispose() => _entra.Dispose();

    private (ServiceProvider Provider, CapturingLoggerProvider Logs) Build()
    {
        Dictionary<string, string?> settings = GraphMailClientTests.Settings(_graph);
        settings["ReportMailbox:Graph:AuthorityHost"] = AuthorityHost;
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddGraphMailClient(configuration.GetSection("ReportMailbox:Graph"));
        services.AddHttpClient(GraphMailClient.TokenHttpClientName).ConfigurePrimaryHttpMessageHandler(() => _entra);
        return (services.BuildServiceProvider(validateScopes: true), logs);
    }

    [Fact]
    public async Task ClientCredentialsAreSentToTheTenantsTokenEndpointAndTheTokenIsCachedUntilItExpires()
    {
        (ServiceProvider provider, CapturingLoggerProvider logs) = Build();
        using (provider)
        using (logs)
        {
            var msal = ActivatorUtilities.CreateInstance<GraphTokenProvider>(provider);
            var graphUrl = new Uri(_graph.BaseUrl + "/users/soc@contoso.example/messages");

            string first = await msal.GetAuthorizationTokenAsync(graphUrl);
            string second = await msal.GetAuthorizationTokenAsync(graphUrl);

            first.ShouldBe(IssuedToken);
            second.ShouldBe(IssuedToken);
            FakeEntraRequest token = _entra.Requests.Where(r => r.Method == "POST").ShouldHaveSingleItem("the second call is served from MSAL's cache");
            token.Url.ShouldBe($"{AuthorityHost}/{Tenant}/oauth2/v2.0/token");
            token.Form["grant_type"].ShouldBe("client_credentials");
            token.Form["client_id"].ShouldBe("00000000-0000-0000-0000-0000000000bb");
            token.Form["client_secret"].ShouldBe(Secret);
            token.Form["scope"].ShouldBe(new Uri(_graph.BaseUrl).GetLeftPart(UriPartial.Authority) + "/.default");
            string logText = logs.AllText;
            logText.ShouldContain("Obtained a Microsoft Graph token from " + AuthorityHost + "/" + Tenant);
            logText.ShouldNotContain(IssuedToken);
            logText.ShouldNotContain(Secret);
        }
    }

    [Fact]
    public async Task ARefusedSecretBecomesAnUnauthorizedErrorThatNamesTheCodeButNotTheAnswerOrTheSecret()
    {
        _entra.Refuse = true;
        (ServiceProvider provider, CapturingLoggerProvider logs) = Build();
        using (provider)
        using (logs)
        {
            var msal = ActivatorUtilities.CreateInstance<GraphTokenProvider>(provider);

            GraphApiException error = await Should.ThrowAsync<GraphApiException>(
                () => msal.GetAuthorizationTokenAsync(new Uri(_graph.BaseUrl + "/users")));

            error.Kind.ShouldBe(GraphErrorKind.Unauthorized);
            error.Message.ShouldContain("invalid_client");
            error.Message.ShouldNotContain(FakeEntra.RefusalDescription);
            error.Message.ShouldNotContain(Secret);
            string logText = logs.AllText;
            logText.ShouldContain("Could not obtain a Microsoft Graph token");
            logText.ShouldNotContain(Secret);
        }
    }

    internal sealed record FakeEntraRequest(string Method, string Url, IReadOnlyDictionary<string, string> Form);

    /// <summary>Entra's token endpoint as an HTTP handler: answers the client-credentials form, or refuses the secret.</summary>
    private sealed class FakeEntra : HttpMessageHandler
    {
        public const string RefusalDescription = "AADSTS7000215: Invalid client secret provided. Trace ID: 3f1c";

        private readonly ConcurrentQueue<FakeEntraRequest> _requests = new();

        public bool Refuse { get; set; }

        public IReadOnlyList<FakeEntraRequest> Requests => [.. _requests];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Dictionary<string, string> form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
            string url = request.RequestUri!.GetLeftPart(UriPartial.Path);
            _requests.Enqueue(new FakeEntraRequest(request.Method.Method, url, form));
            if (request.Method != HttpMethod.Post || !url.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.NotFound);
            }

            string json = Refuse
                ? $$"""{"error":"invalid_client","error_description":"{{RefusalDescription}}","error_codes":[7000215]}"""
                : $$"""{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"{{IssuedToken}}"}""";
            return new HttpResponseMessage(Refuse ? HttpStatusCode.Unauthorized : HttpStatusCode.OK)
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
        }
    }
}
