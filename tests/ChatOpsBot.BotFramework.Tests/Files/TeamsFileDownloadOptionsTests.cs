using ChatOpsBot.BotFramework.Files;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ChatOpsBot.BotFramework.Tests.Files;

public sealed class TeamsFileDownloadOptionsTests
{
    [Fact]
    public void Defaults_allow_sharepoint_and_onedrive_hosts_over_https_only()
    {
        TeamsFileDownloadOptions options = new();

        options.EffectiveAllowedHosts.ShouldBe(["sharepoint.com", "svc.ms"]);
        options.AllowHttpForTests.ShouldBeFalse();
        options.AllowLoopbackForTests.ShouldBeFalse();
        new TeamsFileDownloadOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Configured_hosts_replace_the_defaults_and_are_normalised()
    {
        TeamsFileDownloadOptions options = new() { AllowedHosts = ["*.SharePoint.us", ".svc.ms.", "127.0.0.1"] };

        options.EffectiveAllowedHosts.ShouldBe(["sharepoint.us", "svc.ms", "127.0.0.1"]);
        new TeamsFileDownloadOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("https://contoso.sharepoint.com", "must be a host name")]
    [InlineData("contoso.sharepoint.com/path", "must be a host name")]
    [InlineData("contoso.sharepoint.com:443", "must be a host name")]
    [InlineData("com", "whole top-level domain")]
    [InlineData("", "must be a host name")]
    public void Bad_host_entries_are_rejected(string host, string expected)
    {
        TeamsFileDownloadOptions options = new() { AllowedHosts = [host] };

        new TeamsFileDownloadOptionsValidator().Validate(null, options).Failures!.ShouldHaveSingleItem().ShouldContain(expected);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(TeamsFileDownloadOptionsValidator.MaxFileBytesCeiling + 1)]
    public void The_size_cap_must_be_sane(long maxBytes) =>
        new TeamsFileDownloadOptionsValidator().Validate(null, new TeamsFileDownloadOptions { MaxFileBytes = maxBytes }).Failed.ShouldBeTrue();

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Test_switches_are_refused_in_production(bool allowHttp, bool allowLoopback)
    {
        TeamsFileDownloadOptions options = new() { AllowHttpForTests = allowHttp, AllowLoopbackForTests = allowLoopback };

        new TeamsFileDownloadOptionsValidator(new Environment(Environments.Production)).Validate(null, options).Failures!
            .ShouldHaveSingleItem().ShouldContain("refused in the Production environment");
        new TeamsFileDownloadOptionsValidator(new Environment(Environments.Development)).Validate(null, options).Succeeded.ShouldBeTrue();
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
