using ChatOpsBot.Integrations.Mimecast;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Integrations.Tests.Mimecast;

public sealed class MimecastOptionsTests
{
    [Theory]
    [InlineData("https://api.services.mimecast.com/", false, null)]
    [InlineData("https://uk-api.services.mimecast.com", false, null)]
    [InlineData("http://127.0.0.1:5000/", true, null)]
    [InlineData("http://127.0.0.1:5000/", false, "only allowed on loopback with Mimecast:AllowHttpOnLoopbackForTesting=true")]
    [InlineData("http://api.services.mimecast.com/", true, "must be an https URL")]
    [InlineData("api.services.mimecast.com", false, "not an absolute URL")]
    [InlineData("https://user:pw@api.services.mimecast.com/", false, "must not carry credentials")]
    [InlineData("", false, "Mimecast:BaseUrl is empty")]
    public void BaseUrlMustBeHttpsUnlessLoopbackIsExplicitlyAllowed(string url, bool allowLoopback, string? problem)
    {
        var options = new MimecastOptions { BaseUrl = url, AllowHttpOnLoopbackForTesting = allowLoopback };

        ValidateOptionsResult result = new MimecastOptionsValidator().Validate(null, options);

        if (problem is null)
        {
            result.Succeeded.ShouldBeTrue(result.FailureMessage);
        }
        else
        {
            result.Failed.ShouldBeTrue();
            result.FailureMessage.ShouldContain(problem);
        }
    }

    [Fact]
    public void ClientIdWithoutSecretIsRefusedAndNeitherIsNotConfigured()
    {
        var validator = new MimecastOptionsValidator();

        validator.Validate(null, new MimecastOptions { ClientId = "id" }).FailureMessage!.ShouldContain("Mimecast:ClientSecret is empty");
        validator.Validate(null, new MimecastOptions { ClientSecret = "s" }).FailureMessage!.ShouldContain("Mimecast:ClientId is empty");
        var empty = new MimecastOptions();
        validator.Validate(null, empty).Succeeded.ShouldBeTrue();
        empty.IsConfigured.ShouldBeFalse();
    }

    [Fact]
    public async Task InvalidConfigurationStopsTheHostFromStarting()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mimecast:BaseUrl"] = "http://mimecast.example/",
            ["Mimecast:PageSize"] = "0",
        });
        builder.Services.AddMimecastClient(builder.Configuration);
        using IHost host = builder.Build();

        OptionsValidationException error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        error.Failures.ShouldContain(f => f.Contains("Mimecast:BaseUrl must be an https URL", StringComparison.Ordinal));
        error.Failures.ShouldContain(f => f.Contains("Mimecast:PageSize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmptySectionStartsWithMimecastNotConfigured()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMimecastClient(builder.Configuration);
        using IHost host = builder.Build();

        await host.StartAsync();

        host.Services.GetRequiredService<IMimecastClient>().IsConfigured.ShouldBeFalse();
        await host.StopAsync();
    }
}
