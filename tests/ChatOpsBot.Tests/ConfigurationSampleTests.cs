using System.Text.Json;
using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Integrations.VirusTotal;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests;

public sealed class ConfigurationSampleTests
{
    // The configuration contract of the design document; outside checks and operators rely on these names.
    public static TheoryData<string> DesignKeys() => new()
    {
        "MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "MicrosoftAppType",
        "Bot:OpenIdMetadataUrl", "Bot:TrustedServiceUrls",
        "Slack:BotToken", "Slack:SigningSecret", "Slack:ApiBaseUrl",
        "Mimecast:BaseUrl", "Mimecast:ClientId", "Mimecast:ClientSecret",
        "VirusTotal:ApiKey", "VirusTotal:BaseUrl", "VirusTotal:RequestsPerMinute",
        "ConnectionStrings:ChatOps", "Storage:Provider",
        "Monitor", "Alerts", "Smtp", "Security",
    };

    private static readonly string[] s_secretKeys =
    [
        "MicrosoftAppPassword", "Slack:BotToken", "Slack:SigningSecret", "Mimecast:ClientSecret",
        "VirusTotal:ApiKey", "Smtp:Password",
    ];

    [Theory]
    [MemberData(nameof(DesignKeys))]
    public void SampleListsEveryDesignKey(string key)
    {
        using JsonDocument sample = LoadSample();

        Find(sample.RootElement, key).ShouldNotBeNull($"appsettings.sample.json lacks '{key}'");
    }

    [Fact]
    public void SampleCarriesNoSecretValues()
    {
        using JsonDocument sample = LoadSample();

        foreach (string key in s_secretKeys)
        {
            JsonElement? value = Find(sample.RootElement, key);
            value.ShouldNotBeNull($"appsettings.sample.json lacks '{key}'");
            value.Value.GetString().ShouldBe(string.Empty, $"'{key}' must be an empty placeholder in the committed sample");
        }
    }

    [Fact]
    public void CommittedAppSettingsCarryNoSecretKeys()
    {
        using JsonDocument settings = JsonDocument.Parse(File.ReadAllText(RepositoryFolder.PathTo("src/ChatOpsBot/appsettings.json")));

        foreach (string key in s_secretKeys)
        {
            JsonElement? value = Find(settings.RootElement, key);
            (value is null || value.Value.GetString() is null or "").ShouldBeTrue($"'{key}' must not be set in the committed appsettings.json");
        }
    }

    [Theory]
    [InlineData(typeof(MimecastOptions), MimecastOptions.SectionName)]
    [InlineData(typeof(VirusTotalOptions), VirusTotalOptions.SectionName)]
    public void SampleListsEverySettingOfTheIntegrations(Type options, string section)
    {
        using JsonDocument sample = LoadSample();

        foreach (System.Reflection.PropertyInfo property in options.GetProperties().Where(p => p.CanWrite))
        {
            Find(sample.RootElement, $"{section}:{property.Name}").ShouldNotBeNull($"appsettings.sample.json lacks '{section}:{property.Name}'");
        }
    }

    [Fact]
    public void TheSampleIntegrationSettingsPassValidation()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddJsonFile(RepositoryFolder.PathTo("appsettings.sample.json")).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMimecastClient(configuration);
        services.AddVirusTotalClient(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        // Value runs the validators: an invalid sample value throws here, naming the key.
        MimecastOptions mimecast = provider.GetRequiredService<IOptions<MimecastOptions>>().Value;
        VirusTotalOptions virusTotal = provider.GetRequiredService<IOptions<VirusTotalOptions>>().Value;
        mimecast.BlockedSendersGroup.ShouldBe("Blocked Senders");
        virusTotal.CacheTtl.ShouldBe(TimeSpan.FromDays(1));
        virusTotal.AnalysisDeadline.ShouldBe(TimeSpan.FromSeconds(20));
        virusTotal.LookupsEnabled.ShouldBeTrue();
    }

    private static JsonDocument LoadSample() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryFolder.PathTo("appsettings.sample.json")));

    private static JsonElement? Find(JsonElement root, string key)
    {
        JsonElement current = root;
        foreach (string part in key.Split(':'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }
}
