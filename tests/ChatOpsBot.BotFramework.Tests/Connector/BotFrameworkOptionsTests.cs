using ChatOpsBot.BotFramework.Connector;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.BotFramework.Tests.Connector;

public sealed class BotFrameworkOptionsTests
{
    private const string AppId = "11111111-2222-3333-4444-555555555555";

    private static Dictionary<string, string?> Valid() => new()
    {
        ["MicrosoftAppId"] = AppId,
        ["MicrosoftAppPassword"] = "secret",
        ["MicrosoftAppTenantId"] = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        ["MicrosoftAppType"] = "SingleTenant",
        ["Bot:TrustedServiceUrls:0"] = "https://smba.trafficmanager.net/",
    };

    private static BotFrameworkOptions Bind(Dictionary<string, string?> settings)
    {
        BotFrameworkOptions options = new();
        BotFrameworkOptions.Bind(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), options);
        return options;
    }

    private static string[] Failures(Dictionary<string, string?> settings) =>
        new BotFrameworkOptionsValidator().Validate(null, Bind(settings)).Failures?.ToArray() ?? [];

    [Fact]
    public void Binds_bot_builder_root_keys_and_the_bot_section()
    {
        Dictionary<string, string?> settings = Valid();
        settings["Bot:OpenIdMetadataUrl"] = "https://login.example/v1/.well-known/openidconfiguration";
        settings["Bot:TrustedServiceUrls:1"] = "https://smba.infra.gcc.teams.microsoft.com/teams";

        BotFrameworkOptions options = Bind(settings);

        options.MicrosoftAppId.ShouldBe(AppId);
        options.MicrosoftAppPassword.ShouldBe("secret");
        options.AppType.ShouldBe(BotAppType.SingleTenant);
        options.TokenTenant.ShouldBe("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        options.OpenIdMetadataUrl.ShouldBe("https://login.example/v1/.well-known/openidconfiguration");
        options.TrustedServiceUrls.ShouldBe(["https://smba.trafficmanager.net/", "https://smba.infra.gcc.teams.microsoft.com/teams"]);
        options.AuthorityHost.ShouldBe(BotFrameworkOptions.DefaultAuthorityHost);
        options.OAuthScope.ShouldBe("https://api.botframework.com/.default");
        options.IsAnonymous.ShouldBeFalse();
        Failures(settings).ShouldBeEmpty();
    }

    [Fact]
    public void Missing_keys_give_anonymous_multi_tenant_defaults_that_validate()
    {
        BotFrameworkOptions options = Bind([]);

        options.IsAnonymous.ShouldBeTrue();
        options.AppType.ShouldBe(BotAppType.MultiTenant);
        options.TokenTenant.ShouldBe("botframework.com");
        options.OpenIdMetadataUrl.ShouldBe("https://login.botframework.com/v1/.well-known/openidconfiguration");
        options.TrustedServiceUrls.ShouldBeEmpty();
        Failures([]).ShouldBeEmpty();
    }

    [Fact]
    public void A_single_environment_variable_can_list_several_trusted_urls()
    {
        BotFrameworkOptions options = Bind(new() { ["Bot:TrustedServiceUrls"] = "https://a.example/, https://b.example/teams;https://c.example/" });

        options.TrustedServiceUrls.ShouldBe(["https://a.example/", "https://b.example/teams", "https://c.example/"]);
    }

    [Fact]
    public void Array_entries_keep_their_numeric_order()
    {
        BotFrameworkOptions options = Bind(new()
        {
            ["Bot:TrustedServiceUrls:10"] = "https://k.example/",
            ["Bot:TrustedServiceUrls:2"] = "https://c.example/",
        });

        options.TrustedServiceUrls.ShouldBe(["https://c.example/", "https://k.example/"]);
    }

    [Fact]
    public void The_secret_is_not_printed_by_to_string()
    {
        Bind(Valid()).ToString()!.ShouldNotContain("secret");
    }

    [Theory]
    [InlineData("MicrosoftAppTenantId", null, "MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant")]
    [InlineData("MicrosoftAppTenantId", "contoso/../evil", "MicrosoftAppTenantId must be a tenant GUID or a verified domain")]
    [InlineData("MicrosoftAppId", "my-bot", "MicrosoftAppId must be the Entra application (client) id")]
    [InlineData("MicrosoftAppPassword", "", "MicrosoftAppPassword (the client secret) is required")]
    [InlineData("MicrosoftAppType", "UserAssignedMSI", "MicrosoftAppType must be SingleTenant or MultiTenant")]
    [InlineData("MicrosoftAppType", "1", "MicrosoftAppType must be SingleTenant or MultiTenant")]
    [InlineData("Bot:TrustedServiceUrls:0", null, "Bot:TrustedServiceUrls must list")]
    [InlineData("Bot:TrustedServiceUrls:0", "http://smba.trafficmanager.net/", "Bot:TrustedServiceUrls:0 must use https")]
    [InlineData("Bot:TrustedServiceUrls:0", "https://*.trafficmanager.net/", "Bot:TrustedServiceUrls:0 must be a plain")]
    [InlineData("Bot:TrustedServiceUrls:0", "https://u:p@smba.trafficmanager.net/", "Bot:TrustedServiceUrls:0 must be a plain")]
    [InlineData("Bot:TrustedServiceUrls:0", "smba.trafficmanager.net", "Bot:TrustedServiceUrls:0 must be an absolute URL")]
    [InlineData("Bot:OpenIdMetadataUrl", "http://login.botframework.com/v1/.well-known/openidconfiguration", "Bot:OpenIdMetadataUrl must be an absolute https URL")]
    [InlineData("Bot:AuthorityHost", "https://login.microsoftonline.com/tenant", "Bot:AuthorityHost must be an https origin without a path")]
    public void Invalid_settings_fail_with_a_message_naming_the_key(string key, string? value, string expected)
    {
        Dictionary<string, string?> settings = Valid();
        settings[key] = value;

        Failures(settings).ShouldContain(f => f.Contains(expected, StringComparison.Ordinal), string.Join(" | ", Failures(settings)));
    }

    [Fact]
    public void Tenant_may_be_a_verified_domain()
    {
        Dictionary<string, string?> settings = Valid();
        settings["MicrosoftAppTenantId"] = "contoso.onmicrosoft.com";

        Failures(settings).ShouldBeEmpty();
    }

    [Fact]
    public void Multi_tenant_needs_no_tenant()
    {
        Dictionary<string, string?> settings = Valid();
        settings["MicrosoftAppType"] = "multitenant";
        settings["MicrosoftAppTenantId"] = null;

        Failures(settings).ShouldBeEmpty();
        Bind(settings).TokenTenant.ShouldBe("botframework.com");
    }

    [Fact]
    public void Http_urls_are_accepted_only_with_allow_insecure_service_urls()
    {
        Dictionary<string, string?> settings = Valid();
        settings["Bot:TrustedServiceUrls:0"] = "http://127.0.0.1:5000/";
        settings["Bot:OpenIdMetadataUrl"] = "http://127.0.0.1:5001/openid";
        Failures(settings).Length.ShouldBe(2);

        settings["Bot:AllowInsecureServiceUrls"] = "true";
        Failures(settings).ShouldBeEmpty();
    }

    [Fact]
    public void Invalid_settings_stop_the_host_at_start()
    {
        Dictionary<string, string?> settings = Valid();
        settings["MicrosoftAppTenantId"] = null;
        ServiceCollection services = new();
        services.AddLogging();
        services.AddBotFrameworkConnector(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException exception = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BotFrameworkOptions>>().Value);

        exception.Message.ShouldContain("MicrosoftAppTenantId is required");
        exception.Message.ShouldNotContain("secret");
    }

    [Fact]
    public void Registering_twice_binds_and_validates_once()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(Valid()).Build();
        ServiceCollection services = new();
        services.AddLogging();

        services.AddBotFrameworkOptions(configuration);
        services.AddBotFrameworkConnector(configuration);
        services.AddBotFrameworkConnector(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetServices<IValidateOptions<BotFrameworkOptions>>().Count().ShouldBe(1);
        provider.GetRequiredService<IOptions<BotFrameworkOptions>>().Value.MicrosoftAppId.ShouldBe(AppId);
        provider.GetRequiredService<IBotTokenProvider>().ShouldBeOfType<MsalBotTokenProvider>();
    }

    [Fact]
    public void Connector_retry_settings_are_validated()
    {
        ConnectorClientOptionsValidator validator = new();

        validator.Validate(null, new ConnectorClientOptions()).Succeeded.ShouldBeTrue();
        validator.Validate(null, new ConnectorClientOptions { MaxRetries = 50 }).Failures!.ShouldHaveSingleItem().ShouldContain("MaxRetries");
        validator.Validate(null, new ConnectorClientOptions { RequestTimeout = TimeSpan.Zero }).Failures!.ShouldHaveSingleItem().ShouldContain("RequestTimeout");
        validator.Validate(null, new ConnectorClientOptions { BaseDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromSeconds(1) }).Failed.ShouldBeTrue();
    }
}
