using System.Net;
using ChatOpsBot.BotFramework.Files;

namespace ChatOpsBot.BotFramework.Tests.Files;

public sealed class NetworkAddressPolicyTests
{
    [Theory]
    [InlineData("52.108.1.1")]
    [InlineData("13.107.136.9")]
    [InlineData("8.8.8.8")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("2603:1036:3000::1")]
    [InlineData("2a01:111:f400::1")]
    [InlineData("::ffff:52.108.1.1")]
    [InlineData("64:ff9b::52.108.1.1")]
    [InlineData("2002:346c:0101::1")]
    public void Public_addresses_are_public(string address) =>
        NetworkAddressPolicy.Classify(IPAddress.Parse(address)).ShouldBe(AddressScope.Public);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_addresses_are_loopback(string address) =>
        NetworkAddressPolicy.Classify(IPAddress.Parse(address)).ShouldBe(AddressScope.Loopback);

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("192.168.0.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.1")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::10.0.0.1")]
    [InlineData("64:ff9b:1::1")]
    [InlineData("2002:0a00:0001::1")]
    [InlineData("2002:7f00:0001::1")]
    [InlineData("2001::1")]
    [InlineData("2001:db8::1")]
    [InlineData("3fff::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("100::1")]
    public void Everything_else_is_non_public(string address) =>
        NetworkAddressPolicy.Classify(IPAddress.Parse(address)).ShouldBe(AddressScope.NonPublic);

    [Fact]
    public void Random_ipv4_addresses_agree_with_a_straightforward_range_table()
    {
        // Cross-check the bit arithmetic against IPNetwork, over many random addresses.
        IPNetwork[] nonPublic =
        [
            IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
            IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"),
            IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.88.99.0/24"), IPNetwork.Parse("192.168.0.0/16"),
            IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
            IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        ];
        IPNetwork loopback = IPNetwork.Parse("127.0.0.0/8");
        Random random = new(20260301);
        byte[] bytes = new byte[4];
        for (int i = 0; i < 200_000; i++)
        {
            random.NextBytes(bytes);
            IPAddress address = new(bytes);
            AddressScope expected = loopback.Contains(address) ? AddressScope.Loopback
                : nonPublic.Any(n => n.Contains(address)) ? AddressScope.NonPublic
                : AddressScope.Public;

            NetworkAddressPolicy.Classify(address).ShouldBe(expected, address.ToString());
            NetworkAddressPolicy.Classify(address.MapToIPv6()).ShouldBe(expected, address.MapToIPv6().ToString());
        }
    }
}
