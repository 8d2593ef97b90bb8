using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.VirusTotal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.Tests.VirusTotal;

public sealed class VirusTotalOptionsAndCompositionTests
{
    [Fact]
    public void DefaultsAreThePublicApisLimitsAndADayOfCaching()
    {
        var options = new VirusTotalOptions();

        options.RequestsPerMinute.ShouldBe(4);
        options.DailyLimit.ShouldBe(500);
        options.CacheTtl.ShouldBe(TimeSpan.FromHours(24));
        options.UnknownCacheTtl.ShouldBeLessThan(options.CacheTtl);
        options.IsConfigured.ShouldBeFalse();
        options.LookupsEnabled.ShouldBeTrue();
        options.AnalysisDeadline.ShouldBe(TimeSpan.FromSeconds(20));
        new VirusTotalOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("VirusTotal:BaseUrl", "http://www.virustotal.com/api/v3/", "VirusTotal:BaseUrl must be an https URL")]
    [InlineData("VirusTotal:RequestsPerMinute", "0", "VirusTotal:RequestsPerMinute must be between")]
    [InlineData("VirusTotal:DailyLimit", "-1", "VirusTotal:DailyLimit must be between")]
    [InlineData("VirusTotal:UnknownCacheTtl", "2.00:00:00", "VirusTotal:UnknownCacheTtl must be more than 0 and at most VirusTotal:CacheTtl")]
    [InlineData("VirusTotal:ApiKey", "key with spaces", "VirusTotal:ApiKey contains spaces")]
    [InlineData("VirusTotal:MaxResolutions", "500", "VirusTotal:MaxResolutions must be between 1 and 40")]
    [InlineData("VirusTotal:AnalysisDeadline", "00:00:00", "VirusTotal:AnalysisDeadline must be between 00:00:01 and 00:05:00")]
    [InlineData("VirusTotal:AnalysisDeadline", "00:10:00", "VirusTotal:AnalysisDeadline must be between 00:00:01 and 00:05:00")]
    public async Task InvalidConfigurationStopsTheHostWithAMessageNamingTheKey(string key, string value, string message)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddVirusTotalClient(builder.Configuration);
        using IHost host = builder.Build();

        OptionsValidationException error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        error.Failures.ShouldContain(f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePersistentCacheRegisteredByStorageIsTheOneUsed()
    {
        await using FakeVirusTotalServer fake = await FakeVirusTotalServer.StartAsync();
        var persistent = new InMemoryReputationCache(TimeProvider.System);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirusTotal:BaseUrl"] = fake.BaseUrl.ToString(),
            ["VirusTotal:ApiKey"] = FakeVirusTotalServer.ApiKey,
            ["VirusTotal:AllowHttpOnLoopbackForTesting"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IReputationCache>(persistent);
        services.AddVirusTotalClient(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        IReputationService reputation = provider.GetRequiredService<IReputationService>();
        await reputation.LookupAsync([ReputationQuery.Domain("example.org")], TimeSpan.FromSeconds(20), CancellationToken.None);

        provider.GetRequiredService<IReputationCache>().ShouldBeSameAs(persistent);
        persistent.Count.ShouldBe(1);
        provider.GetRequiredService<IReputationService>().ShouldBeSameAs(reputation);
    }

    [Fact]
    public void WithoutAPersistentCacheTheInMemoryOneIsTheDefault()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVirusTotalClient(new ConfigurationBuilder().Build());
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<IReputationCache>().ShouldBeOfType<InMemoryReputationCache>();
        provider.GetRequiredService<IReputationService>().IsConfigured.ShouldBeFalse();
    }
}
