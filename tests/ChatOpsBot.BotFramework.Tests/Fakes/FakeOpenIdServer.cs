using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.BotFramework.Tests.Fakes;

/// <summary>
/// The Bot Framework's OpenID metadata and JWKS endpoints on 127.0.0.1, in the reference's shape
/// (<c>/v1/.well-known/openidconfiguration</c> naming <c>jwks_uri</c>; keys with <c>endorsements</c>).
/// Tests change the published keys (rollover), count requests, and take the server down.
/// </summary>
public sealed class FakeOpenIdServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private List<TestSigningKey> _keys;
    private int _metadataRequests;
    private int _keySetRequests;

    private FakeOpenIdServer(WebApplication app, IEnumerable<TestSigningKey> keys, string issuer)
    {
        _app = app;
        _keys = keys.ToList();
        Issuer = issuer;
    }

    public string Issuer { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public Uri MetadataUrl => new(BaseUrl, "v1/.well-known/openidconfiguration");

    /// <summary>While true, every endpoint answers 503.</summary>
    public bool IsDown { get; set; }

    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    public int KeySetRequests => Volatile.Read(ref _keySetRequests);

    public static async Task<FakeOpenIdServer> StartAsync(IEnumerable<TestSigningKey> keys, string issuer = TestTokens.BotFrameworkIssuer)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new FakeOpenIdServer(app, keys, issuer);
        app.MapGet("/v1/.well-known/openidconfiguration", server.Metadata);
        app.MapGet("/v1/.well-known/keys", server.KeySet);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First() + "/");
        return server;
    }

    public void Publish(params TestSigningKey[] keys)
    {
        lock (_gate)
        {
            _keys = keys.ToList();
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private IResult Metadata()
    {
        Interlocked.Increment(ref _metadataRequests);
        if (IsDown)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Json(new JsonObject
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = "https://invalid.example/unused",
            ["jwks_uri"] = new Uri(BaseUrl, "v1/.well-known/keys").ToString(),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        });
    }

    private IResult KeySet()
    {
        Interlocked.Increment(ref _keySetRequests);
        if (IsDown)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        JsonArray keys;
        lock (_gate)
        {
            keys = new JsonArray(_keys.Select(k => (JsonNode?)k.ToJwk()).ToArray());
        }

        return Results.Json(new JsonObject { ["keys"] = keys });
    }
}
