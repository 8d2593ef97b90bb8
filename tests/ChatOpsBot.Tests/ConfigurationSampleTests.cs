using System.Text.Json;
using ChatOpsBot.TestSupport;

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
