using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.BotFramework.Tests.Connector;

/// <summary>A request as the fake received it: the raw request target (before any decoding) and the body.</summary>
internal sealed record RecordedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>
/// Kestrel on 127.0.0.1, port 0, answering with <see cref="Handler"/> and recording every request. With
/// <c>https: true</c> it serves a fresh self-signed certificate for 127.0.0.1 (<see cref="Certificate"/>).
/// </summary>
internal sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _disposed;

    private FakeHttpServer(WebApplication app, X509Certificate2? certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    public Func<HttpContext, RecordedRequest, Task> Handler { get; set; } = static (context, _) =>
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    };

    public X509Certificate2? Certificate { get; }

    public Uri BaseUri => new(_app.Urls.First().TrimEnd('/') + "/");

    public int Port => BaseUri.Port;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeHttpServer> StartAsync(bool https = false)
    {
        X509Certificate2? certificate = https ? CreateCertificate() : null;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        WebApplication app = builder.Build();
        FakeHttpServer server = new(app, certificate);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>A handler for the client that trusts exactly this server's certificate.</summary>
    public SocketsHttpHandler CreateTrustingHandler() => new()
    {
        AllowAutoRedirect = false,
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
                Certificate is not null && presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString(),
        },
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate?.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using StreamReader reader = new(context.Request.Body);
        string body = await reader.ReadToEndAsync();
        string rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        RecordedRequest request = new(context.Request.Method, rawTarget, headers, body);
        _requests.Enqueue(request);
        await Handler(context, request);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using RSA key = RSA.Create(2048);
        CertificateRequest request = new("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        SubjectAlternativeNameBuilder names = new();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
    }
}
