using System.Net;
using ChatOpsBot.BotFramework;
using ChatOpsBot.Tests.Commands.Support;
using ChatOpsBot.Tests.Storage;
using ChatOpsBot.Tests.Teams.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Teams;

/// <summary>
/// Anonymous local mode through the real host on Kestrel: whatever address it is told to listen on, it listens on
/// loopback only, and says so.
/// </summary>
public sealed class AnonymousModeHostTests : IAsyncLifetime
{
    private readonly string _folder = TestDatabase.NewFolder();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        TestDatabase.ReleaseAndDeleteFolder(_folder);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("http://0.0.0.0:0", "http://127.0.0.1:0")]
    [InlineData("http://[::]:0", "http://[::1]:0")]
    [InlineData("http://+:0", "http://127.0.0.1:0")]
    public async Task A_wildcard_url_is_rebound_to_loopback_and_the_warning_says_so(string configured, string loopback)
    {
        var logs = new CapturingLoggerProvider();
        using WebApplicationFactory<Program> factory = Factory(logs, ("urls", configured));
        factory.UseKestrel();
        factory.StartServer();

        string[] addresses = [.. factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses];

        string address = addresses.ShouldHaveSingleItem();
        new Uri(address).IsLoopback.ShouldBeTrue();
        new Uri(address).Host.ShouldBe(new Uri(loopback).Host);
        LogRecord warning = await logs.WaitForAsync(r => r.Message.StartsWith("ANONYMOUS LOCAL MODE", StringComparison.Ordinal));
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Message.ShouldContain($"{configured} -> {loopback}");
        warning.Message.ShouldContain("WITHOUT authentication");
        warning.Message.ShouldContain("MicrosoftAppId");

        // And it answers there.
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    // Start-up refusals are checked on the composed services rather than by starting Program: a host that fails to
    // start under WebApplicationFactory may surface as ObjectDisposedException instead of its own error.
    [Fact]
    public void A_non_loopback_kestrel_endpoint_stops_the_start_with_a_clear_message()
    {
        using ServiceProvider services = TeamsServices(("Kestrel:Endpoints:Public:Url", "http://0.0.0.0:3978"));

        OptionsValidationException failure = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value);

        failure.Message.ShouldContain("Kestrel:Endpoints:Public:Url 'http://0.0.0.0:3978' is not a loopback address");
        failure.Message.ShouldContain("MicrosoftAppId empty");
    }

    [Fact]
    public void A_unix_socket_in_anonymous_mode_stops_the_start()
    {
        using ServiceProvider services = TeamsServices(("urls", "http://unix:/tmp/chatops.sock"));

        OptionsValidationException failure = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value);

        failure.Message.ShouldContain("http://unix:/tmp/chatops.sock");
    }

    [Fact]
    public void With_an_app_id_kestrel_endpoints_are_the_operators_business()
    {
        using ServiceProvider services = TeamsServices(
            ("Kestrel:Endpoints:Public:Url", "http://0.0.0.0:3978"),
            ("MicrosoftAppId", "7c8e2f0a-51b3-4b0e-9a36-2f5d7c1e9b42"),
            ("MicrosoftAppPassword", "test-secret-not-used"),
            ("MicrosoftAppTenantId", "56653e9d-2158-46ee-90d7-675c39642038"),
            ("Bot:TrustedServiceUrls:0", "https://smba.trafficmanager.net/"));

        services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.IsAnonymous.ShouldBeFalse();
    }

    [Fact]
    public void With_an_app_id_nothing_is_rebound_and_no_warning_is_logged()
    {
        var logs = new CapturingLoggerProvider();
        using WebApplicationFactory<Program> factory = Factory(
            logs,
            ("urls", "http://127.0.0.1:0"),
            ("MicrosoftAppId", "7c8e2f0a-51b3-4b0e-9a36-2f5d7c1e9b42"),
            ("MicrosoftAppPassword", "test-secret-not-used"),
            ("MicrosoftAppTenantId", "56653e9d-2158-46ee-90d7-675c39642038"),
            ("Bot:TrustedServiceUrls:0", "https://smba.trafficmanager.net/"));
        factory.UseKestrel();
        factory.StartServer();

        string address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ShouldHaveSingleItem();

        new Uri(address).Host.ShouldBe("127.0.0.1");
        logs.Records.ShouldNotContain(r => r.Message.Contains("ANONYMOUS LOCAL MODE", StringComparison.Ordinal));
        logs.Records.ShouldNotContain(r => r.Message.Contains("Overriding address", StringComparison.Ordinal));
    }

    private static ServiceProvider TeamsServices(params (string Key, string Value)[] settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("MicrosoftAppId", string.Empty)]);
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddChatOpsTeams();
        return (ServiceProvider)builder.Build().Services;
    }

    private WebApplicationFactory<Program> Factory(CapturingLoggerProvider logs, params (string Key, string Value)[] settings)
    {
#pragma warning disable CA2000 // The derived factory owns and disposes the base one.
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:ChatOps", $"Data Source={Path.Combine(_folder, "chatops.db")}");
            builder.UseSetting("MicrosoftAppId", string.Empty);
            foreach ((string key, string value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });
#pragma warning restore CA2000
    }
}
