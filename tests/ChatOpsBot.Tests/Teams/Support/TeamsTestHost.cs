using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.Tests.Commands.Support;
using ChatOpsBot.Tests.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsBot.Tests.Teams.Support;

/// <summary>
/// The real host (<c>Program</c>, through <see cref="WebApplicationFactory{TEntryPoint}"/>) with its SQLite database in a
/// temporary folder and a <see cref="FakeConnector"/> on 127.0.0.1. Anonymous local mode unless the settings give an
/// app id; the Teams user <see cref="TeamsActivities.Analyst"/> holds the analyst role.
/// </summary>
internal sealed class TeamsTestHost : IAsyncDisposable
{
    private readonly string _folder;
    private readonly WebApplicationFactory<Program> _factory;

    private TeamsTestHost(string folder, WebApplicationFactory<Program> factory, FakeConnector connector, CapturingLoggerProvider logs)
    {
        _folder = folder;
        _factory = factory;
        Connector = connector;
        Logs = logs;
        Activities = new TeamsActivities(connector.ServiceUrl);
        Client = factory.CreateClient();
    }

    public FakeConnector Connector { get; }

    public TeamsActivities Activities { get; }

    public CapturingLoggerProvider Logs { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<TeamsTestHost> StartAsync(
        Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? configureServices = null,
        bool trustConnector = false)
    {
        string folder = TestDatabase.NewFolder();
        FakeConnector connector = await FakeConnector.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatOps"] = $"Data Source={Path.Combine(folder, "chatops.db")}",
            ["MicrosoftAppId"] = string.Empty,
            ["Security:Analysts:0"] = TeamsActivities.Analyst.AadObjectId,
            ["Logging:LogLevel:Default"] = "Information",
        };
        if (trustConnector)
        {
            // With an app id only listed service URLs are called; anonymous mode trusts the loopback fake by itself.
            settings["Bot:TrustedServiceUrls:0"] = connector.ServiceUrl;
        }

        configure?.Invoke(settings);
        var logs = new CapturingLoggerProvider();
#pragma warning disable CA2000 // The derived factory owns and disposes the base one.
        WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach ((string key, string? value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(logs));
            if (configureServices is not null)
            {
                builder.ConfigureServices(configureServices);
            }
        });
#pragma warning restore CA2000
        return new TeamsTestHost(folder, factory, connector, logs);
    }

    public async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? bearerToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        await Connector.DisposeAsync();
        TestDatabase.ReleaseAndDeleteFolder(_folder);
    }
}
