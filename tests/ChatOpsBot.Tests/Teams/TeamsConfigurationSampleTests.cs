using ChatOpsBot.BotFramework;
using ChatOpsBot.BotFramework.Connector;
using ChatOpsBot.BotFramework.Files;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Teams;

/// <summary>The Bot keys of appsettings.sample.json are the real keys, with values that pass start-up validation.</summary>
public sealed class TeamsConfigurationSampleTests
{
    [Fact]
    public void The_sample_bot_settings_bind_and_validate_in_anonymous_mode()
    {
        using ServiceProvider services = Services();

        BotFrameworkOptions bot = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
        bot.IsAnonymous.ShouldBeTrue();
        bot.TrustedServiceUrls.ShouldBe(["https://smba.trafficmanager.net/"]);
        services.GetRequiredService<IOptions<ConnectorClientOptions>>().Value.MaxRetries.ShouldBe(3);
        TeamsFileDownloadOptions files = services.GetRequiredService<IOptions<TeamsFileDownloadOptions>>().Value;
        files.EffectiveAllowedHosts.ShouldBe(TeamsFileDownloadOptions.DefaultAllowedHosts);
        files.AllowHttpForTests.ShouldBeFalse();
    }

    [Fact]
    public void The_sample_with_a_registration_from_the_environment_validates_as_a_real_bot()
    {
        using ServiceProvider services = Services(
            ("MicrosoftAppId", "7c8e2f0a-51b3-4b0e-9a36-2f5d7c1e9b42"),
            ("MicrosoftAppPassword", "from-the-environment"),
            ("MicrosoftAppTenantId", "56653e9d-2158-46ee-90d7-675c39642038"));

        BotFrameworkOptions bot = services.GetRequiredService<IOptions<BotFrameworkOptions>>().Value;
        bot.IsAnonymous.ShouldBeFalse();
        bot.AppType.ShouldBe(BotAppType.SingleTenant);
        services.GetRequiredService<TrustedServiceUrlList>().TrustsLoopback.ShouldBeFalse();
    }

    private static ServiceProvider Services(params (string Key, string Value)[] overrides)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonFile(RepositoryFolder.PathTo("appsettings.sample.json"))
            .AddInMemoryCollection(overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBotFrameworkConnector(configuration);
        services.AddTeamsFileDownloads(configuration);
        return services.BuildServiceProvider();
    }
}
