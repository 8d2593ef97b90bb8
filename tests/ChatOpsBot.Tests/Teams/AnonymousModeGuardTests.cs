using ChatOpsBot.BotFramework;
using ChatOpsBot.Teams.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Teams;

/// <summary>The last line of defence: a server found listening beyond loopback in anonymous mode stops the start.</summary>
public sealed class AnonymousModeGuardTests
{
    [Theory]
    [InlineData("http://0.0.0.0:3978")]
    [InlineData("http://[::]:3978")]
    [InlineData("http://192.168.1.20:3978")]
    public async Task Anonymous_mode_refuses_a_server_listening_beyond_loopback(string exposed)
    {
        AnonymousModeGuard guard = Guard(appId: "", "http://127.0.0.1:3978", exposed);

        InvalidOperationException failure = await Should.ThrowAsync<InvalidOperationException>(() => guard.StartedAsync(CancellationToken.None));

        failure.Message.ShouldContain(exposed);
        failure.Message.ShouldNotContain("127.0.0.1");
    }

    [Fact]
    public async Task Anonymous_mode_accepts_loopback_listeners()
    {
        AnonymousModeGuard guard = Guard(appId: "", "http://127.0.0.1:3978", "http://[::1]:3978", "http://localhost:3979");

        await guard.StartedAsync(CancellationToken.None);
    }

    [Fact]
    public async Task With_an_app_id_the_guard_lets_any_address_be()
    {
        AnonymousModeGuard guard = Guard(appId: "7c8e2f0a-51b3-4b0e-9a36-2f5d7c1e9b42", "http://0.0.0.0:3978");

        await guard.StartedAsync(CancellationToken.None);
    }

    private static AnonymousModeGuard Guard(string appId, params string[] addresses)
    {
        var feature = new ServerAddressesFeature();
        foreach (string address in addresses)
        {
            feature.Addresses.Add(address);
        }

        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(feature);
        return new AnonymousModeGuard(
            Options.Create(new BotFrameworkOptions { MicrosoftAppId = appId }),
            new ConfigurationBuilder().Build(),
            NullLogger<AnonymousModeGuard>.Instance,
            new ListeningServer(features));
    }

    private sealed class ListeningServer(IFeatureCollection features) : IServer
    {
        public IFeatureCollection Features { get; } = features;

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
