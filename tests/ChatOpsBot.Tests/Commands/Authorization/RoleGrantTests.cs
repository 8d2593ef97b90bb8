using ChatOpsBot.Commands;
using ChatOpsBot.Commands.Authorization;
using ChatOpsBot.Tests.Commands.Support;
using ChatOpsBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Commands.Authorization;

public sealed class RoleGrantTests
{
    private static RoleResolver Resolver(SecurityOptions options)
    {
        new SecurityOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
        return new RoleResolver(Options.Create(options));
    }

    [Fact]
    public void UnknownUsersAreReaders()
    {
        RoleResolver roles = Resolver(new SecurityOptions());

        roles.RoleOf("8f2c7c1e-0000-4000-8000-000000000001").ShouldBe(Role.Reader);
        roles.RoleOf(string.Empty).ShouldBe(Role.Reader);
    }

    [Fact]
    public void TheHighestGrantWins()
    {
        var options = new SecurityOptions();
        options.Analysts.Add("U123");
        options.Admins.Add("U123");
        options.Responders.Add("U123");

        Resolver(options).RoleOf("U123").ShouldBe(Role.Admin);
    }

    [Fact]
    public void GroupMembersGetTheGroupsRole()
    {
        var options = new SecurityOptions();
        options.Groups["soc"] = ["U1", "8F2C7C1E-0000-4000-8000-000000000001"];
        options.Responders.Add("group:soc");

        RoleResolver roles = Resolver(options);

        roles.RoleOf("U1").ShouldBe(Role.Responder);
        roles.RoleOf("8f2c7c1e-0000-4000-8000-000000000001").ShouldBe(Role.Responder, "Entra object ids compare case-insensitively");
        roles.RoleOf("soc").ShouldBe(Role.Reader);
        roles.RoleOf("group:soc").ShouldBe(Role.Reader);
    }

    [Theory]
    [InlineData("*", "wildcards")]
    [InlineData("U1*", "wildcards")]
    [InlineData("", "empty user id")]
    [InlineData("Jane Doe", "spaces")]
    [InlineData("group:nobody", "names no group")]
    public void SuspiciousGrantsAreRefused(string grant, string expected)
    {
        var options = new SecurityOptions();
        options.Admins.Add(grant);

        ValidateOptionsResult result = new SecurityOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        string failure = result.FailureMessage.ShouldNotBeNull();
        failure.ShouldContain("Security:Admins:0");
        failure.ShouldContain(expected);
    }

    [Fact]
    public void GroupsCannotNestOrHaveOddNames()
    {
        var options = new SecurityOptions();
        options.Groups["a"] = ["group:b"];
        options.Groups["b c"] = ["U1"];

        ValidateOptionsResult result = new SecurityOptionsValidator().Validate(null, options);

        string failure = result.FailureMessage.ShouldNotBeNull();
        failure.ShouldContain("groups cannot contain groups");
        failure.ShouldContain("the group name 'b c'");
    }

    [Fact]
    public async Task TheHostRefusesToStartWithABadGrant()
    {
        using IHost host = CommandHarness.Build(s => s["Security:Admins:1"] = "*", out _, out _, out _, out _, out _);

        OptionsValidationException failure = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        failure.Message.ShouldContain("wildcards are not supported");
    }

    [Theory]
    [InlineData("Commands:QueueCapacity", "0")]
    [InlineData("Commands:Workers", "1000")]
    [InlineData("Commands:MaxAttachmentBytes", "10")]
    [InlineData("Commands:ProgressDelay", "-00:00:01")]
    [InlineData("Commands:ConfirmationTimeout", "00:00:01")]
    public async Task TheHostRefusesToStartWithBadCommandLimits(string key, string value)
    {
        using IHost host = CommandHarness.Build(s => s[key] = value, out _, out _, out _, out _, out _);

        OptionsValidationException failure = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        failure.Message.ShouldContain(key);
    }

    [Fact]
    public async Task TheSamplesSecurityAndCommandsSectionsStartTheCommandLayer()
    {
        IConfigurationRoot sample = new ConfigurationBuilder().AddJsonFile(RepositoryFolder.PathTo("appsettings.sample.json")).Build();
        KeyValuePair<string, string?>[] sections = [.. sample.GetSection("Security").AsEnumerable(), .. sample.GetSection("Commands").AsEnumerable()];
        sections.ShouldContain(new KeyValuePair<string, string?>("Commands:QueueCapacity", "64"));
        using IHost host = CommandHarness.Build(
            settings =>
            {
                settings.Clear();
                foreach ((string key, string? value) in sections.Where(kv => kv.Value is not null))
                {
                    settings[key] = value;
                }
            },
            out _, out _, out _, out _, out _);

        await host.StartAsync();

        host.Services.GetRequiredService<IOptions<CommandOptions>>().Value.CommandTimeout.ShouldBe(TimeSpan.FromMinutes(2));
        host.Services.GetRequiredService<RoleResolver>().RoleOf("anyone").ShouldBe(Role.Reader);
        await host.StopAsync();
    }

    [Fact]
    public void GrantsBindFromConfigurationAsTheSampleWritesThem()
    {
        using IHost host = CommandHarness.Build(null, out _, out _, out _, out _, out _);

        RoleResolver roles = host.Services.GetRequiredService<RoleResolver>();

        roles.RoleOf(CommandHarness.Admin).ShouldBe(Role.Admin);
        roles.RoleOf(CommandHarness.Responder).ShouldBe(Role.Responder);
        roles.RoleOf(CommandHarness.OtherResponder).ShouldBe(Role.Responder);
        roles.RoleOf(CommandHarness.Analyst).ShouldBe(Role.Analyst);
        roles.RoleOf(CommandHarness.Reader).ShouldBe(Role.Reader);
    }
}
