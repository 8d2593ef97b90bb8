using ChatOpsBot.BotFramework.Connector;

namespace ChatOpsBot.BotFramework.Tests.Connector;

public sealed class TrustedServiceUrlListTests
{
    private static readonly TrustedServiceUrlList s_list = new(
        ["https://smba.trafficmanager.net/", "https://smba.infra.gcc.teams.microsoft.com/teams", "https://bots.example.com:8443/bf/"]);

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net/amer/50612dbb-0237-4969-b378-8d42590f9c00/")]
    [InlineData("https://SMBA.TrafficManager.NET/emea/")]
    [InlineData("https://smba.trafficmanager.net")]
    [InlineData("https://smba.trafficmanager.net:443/teams/")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams/")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams/v3/")]
    [InlineData("https://bots.example.com:8443/bf/x/")]
    public void Urls_under_a_trusted_entry_are_trusted(string url) => s_list.IsTrusted(url).ShouldBeTrue();

    [Theory]
    [InlineData("http://smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net.evil.example/amer/")]
    [InlineData("https://evilsmba.trafficmanager.net/")]
    [InlineData("https://smba.trafficmanager.net@evil.example/")]
    [InlineData("https://smba.trafficmanager.net:password@evil.example/")]
    [InlineData("https://user@smba.trafficmanager.net/")]
    [InlineData("https://evil.example/https://smba.trafficmanager.net/")]
    [InlineData("https://evil.example/?u=https://smba.trafficmanager.net/")]
    [InlineData("https://evil.example\\@smba.trafficmanager.net/")]
    [InlineData("https://smba.trafficmanager.net:8443/")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teamsevil/")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/Teams/")]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/other/../teamsx/")]
    [InlineData("https://bots.example.com/bf/")]
    [InlineData("https://bots.example.com:8443/bfx/")]
    [InlineData("//smba.trafficmanager.net/amer/")]
    [InlineData("/v3/conversations")]
    [InlineData("smba.trafficmanager.net")]
    [InlineData("ftp://smba.trafficmanager.net/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Anything_else_is_not(string? url) => s_list.IsTrusted(url).ShouldBeFalse();

    [Fact]
    public void Dot_segments_are_resolved_before_matching()
    {
        s_list.IsTrusted("https://smba.infra.gcc.teams.microsoft.com/teams/../evil/").ShouldBeFalse();
        s_list.IsTrusted("https://smba.infra.gcc.teams.microsoft.com/evil/../teams/").ShouldBeTrue();
    }

    [Fact]
    public void A_host_that_is_not_a_valid_idn_is_untrusted_not_an_exception()
    {
        // Found by ConnectorPropertyTests (seed 462455211324856132,6340888431268520769): Uri.IdnHost throws here.
        s_list.IsTrusted("https://smba.trafficmanager.net\U0001F600_-?.\0&c").ShouldBeFalse();
        new TrustedServiceUrlList([], trustLoopback: true).IsTrusted("https://smba.trafficmanager.net\U0001F600_-?.\0&c").ShouldBeFalse();
    }

    [Fact]
    public void An_empty_list_trusts_nothing()
    {
        TrustedServiceUrlList empty = new([]);

        empty.IsTrusted("https://smba.trafficmanager.net/amer/").ShouldBeFalse();
    }

    [Theory]
    [InlineData("http://smba.trafficmanager.net/")]
    [InlineData("https://*.trafficmanager.net/")]
    [InlineData("https://user:pw@smba.trafficmanager.net/")]
    [InlineData("https://smba.trafficmanager.net/?q=1")]
    [InlineData("smba.trafficmanager.net")]
    [InlineData("")]
    public void Unsafe_entries_are_rejected(string entry) =>
        Should.Throw<ArgumentException>(() => new TrustedServiceUrlList([entry]));

    [Fact]
    public void Http_entries_are_allowed_only_when_insecure_urls_are_allowed()
    {
        TrustedServiceUrlList list = new(["http://127.0.0.1:5000/"], allowInsecure: true);

        list.IsTrusted("http://127.0.0.1:5000/v3/").ShouldBeTrue();
        list.IsTrusted("https://127.0.0.1:5000/v3/").ShouldBeFalse();
        list.IsTrusted("http://localhost:5000/v3/").ShouldBeFalse();
    }

    [Theory]
    [InlineData("http://localhost:56150/_connector")]
    [InlineData("http://LOCALHOST:3979/")]
    [InlineData("https://localhost/")]
    [InlineData("http://127.0.0.1:1234/x/")]
    [InlineData("http://127.8.9.10:1234/")]
    [InlineData("http://[::1]:56150/_connector")]
    public void Anonymous_mode_trusts_loopback_service_urls_on_any_port(string url)
    {
        TrustedServiceUrlList anonymous = new([], trustLoopback: true);

        anonymous.TrustsLoopback.ShouldBeTrue();
        anonymous.IsTrusted(url).ShouldBeTrue();
        s_list.IsTrusted(url).ShouldBeFalse();
    }

    [Theory]
    [InlineData("http://localhost.evil.example:56150/")]
    [InlineData("http://evil.localhost.example/")]
    [InlineData("http://127.0.0.1.nip.io/")]
    [InlineData("http://10.0.0.5:56150/")]
    [InlineData("http://192.168.1.2/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://0.0.0.0:56150/")]
    [InlineData("http://user@localhost:56150/")]
    [InlineData("ftp://localhost/")]
    public void Anonymous_mode_trusts_nothing_else_that_looks_local(string url) =>
        new TrustedServiceUrlList([], trustLoopback: true).IsTrusted(url).ShouldBeFalse();

    [Fact]
    public void Loopback_is_trusted_from_options_only_without_an_app_id()
    {
        var anonymous = new BotFrameworkOptions { TrustedServiceUrls = ["https://smba.trafficmanager.net/"] };
        var authenticated = new BotFrameworkOptions
        {
            MicrosoftAppId = "11111111-2222-3333-4444-555555555555",
            TrustedServiceUrls = ["https://smba.trafficmanager.net/"],
        };

        new TrustedServiceUrlList(Microsoft.Extensions.Options.Options.Create(anonymous)).IsTrusted("http://localhost:56150/_connector").ShouldBeTrue();
        new TrustedServiceUrlList(Microsoft.Extensions.Options.Options.Create(authenticated)).IsTrusted("http://localhost:56150/_connector").ShouldBeFalse();
        new TrustedServiceUrlList(Microsoft.Extensions.Options.Options.Create(authenticated)).TrustsLoopback.ShouldBeFalse();
    }
}
