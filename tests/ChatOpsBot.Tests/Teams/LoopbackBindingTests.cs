using System.Net;
using ChatOpsBot.Teams.Hosting;
using Microsoft.Extensions.Configuration;

namespace ChatOpsBot.Tests.Teams;

public sealed class LoopbackBindingTests
{
    [Theory]
    [InlineData("http://localhost:3978", "http://localhost:3978", false)]
    [InlineData("http://127.0.0.1:3978", "http://127.0.0.1:3978", false)]
    [InlineData("http://[::1]:3978", "http://[::1]:3978", false)]
    [InlineData("http://0.0.0.0:3978", "http://127.0.0.1:3978", true)]
    [InlineData("http://[::]:3978", "http://[::1]:3978", true)]
    [InlineData("http://+:3978", "http://localhost:3978", true)]
    [InlineData("http://*:3978", "http://localhost:3978", true)]
    [InlineData("http://bot.contoso.example:3978", "http://localhost:3978", true)]
    [InlineData("http://10.1.2.3:8080/", "http://127.0.0.1:8080", true)]
    [InlineData("https://+:443", "https://localhost:443", true)]
    [InlineData("https://+", "https://localhost:443", true)]
    [InlineData("http://+", "http://localhost:80", true)]
    [InlineData("http://+:0", "http://127.0.0.1:0", true)]
    public void Each_configured_url_maps_to_its_loopback_equivalent_with_the_same_scheme_and_port(string configured, string loopback, bool rebound)
    {
        LoopbackBinding.Plan plan = LoopbackBinding.For(Configuration(("urls", configured)));

        LoopbackEndpoint endpoint = plan.Endpoints.ShouldHaveSingleItem();
        endpoint.Url.ShouldBe(loopback);
        endpoint.Rebound.ShouldBe(rebound);
        endpoint.Configured.ShouldBe(configured);
        plan.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void Several_urls_are_each_mapped_and_duplicates_bound_once()
    {
        LoopbackBinding.Plan plan = LoopbackBinding.For(Configuration(("urls", "http://0.0.0.0:3978;http://127.0.0.1:3978;https://+:3979")));

        plan.Endpoints.Select(e => e.Url).ShouldBe(["http://127.0.0.1:3978", "https://localhost:3979"]);
    }

    [Fact]
    public void Container_port_variables_mean_all_interfaces_and_are_mapped_too()
    {
        LoopbackBinding.Plan plan = LoopbackBinding.For(Configuration(("http_ports", "8080;8081"), ("https_ports", "8443")));

        plan.Endpoints.Select(e => e.Url).ShouldBe(["http://localhost:8080", "http://localhost:8081", "https://localhost:8443"]);
        plan.Endpoints.ShouldAllBe(e => e.Rebound);
    }

    [Fact]
    public void Urls_win_over_port_variables_as_in_kestrel()
    {
        LoopbackBinding.For(Configuration(("urls", "http://localhost:3978"), ("http_ports", "8080")))
            .Endpoints.ShouldHaveSingleItem().Url.ShouldBe("http://localhost:3978");
    }

    [Fact]
    public void Nothing_configured_is_kestrels_default_which_is_already_loopback()
    {
        LoopbackBinding.For(Configuration()).Endpoints.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Url.ShouldBe("http://localhost:5000"),
            e => e.Rebound.ShouldBeFalse());
    }

    [Theory]
    [InlineData("http://unix:/tmp/bot.sock")]
    [InlineData("http://pipe:/bot")]
    [InlineData("ftp://localhost:21")]
    [InlineData("localhost:3978")]
    [InlineData("http://[::1:3978")]
    [InlineData("http://localhost:port")]
    [InlineData("http://localhost:70000")]
    public void Addresses_that_cannot_be_limited_to_loopback_are_problems(string configured)
    {
        LoopbackBinding.Plan plan = LoopbackBinding.For(Configuration(("urls", configured)));

        plan.Endpoints.ShouldBeEmpty();
        plan.Problems.ShouldHaveSingleItem().ShouldContain(configured);
    }

    [Fact]
    public void Kestrel_endpoints_must_already_be_loopback()
    {
        LoopbackBinding.Plan plan = LoopbackBinding.For(Configuration(
            ("Kestrel:Endpoints:Local:Url", "http://127.0.0.1:5001"),
            ("Kestrel:Endpoints:Public:Url", "http://*:5002")));

        plan.Problems.ShouldHaveSingleItem().ShouldStartWith("Kestrel:Endpoints:Public:Url 'http://*:5002' is not a loopback address");
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("[::]", false)]
    [InlineData("localhost.evil.example", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("*", false)]
    public void Loopback_hosts_are_localhost_and_loopback_literals(string host, bool loopback) =>
        LoopbackBinding.IsLoopbackHost(host).ShouldBe(loopback);

    [Fact]
    public void An_ipv6_endpoint_prints_in_brackets()
    {
        new LoopbackEndpoint("x", IsHttps: false, IPAddress.IPv6Loopback, 80).Url.ShouldBe("http://[::1]:80");
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
