using System.Net.Http.Headers;
using System.Text;
using ChatOpsBot.BotFramework.Bot;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.BotFramework.Tests.Fakes;

/// <summary>A minimal Kestrel host on 127.0.0.1 with <c>AddBotFramework</c> and <c>MapBotFramework</c>, as the real host wires them.</summary>
public sealed class BotHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BotHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl };
    }

    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<BotHost> StartAsync(IBot bot, IDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBotFramework(builder.Configuration);
        builder.Services.AddSingleton(bot);
        configureServices?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        app.MapBotFramework();
        await app.StartAsync();
        return new BotHost(app, new Uri(app.Urls.First() + "/"));
    }

    public async Task<HttpResponseMessage> PostActivityAsync(string json, string? bearerToken, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
        {
            Content = new StringContent(json, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
