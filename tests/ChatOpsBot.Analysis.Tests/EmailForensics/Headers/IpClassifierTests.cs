using System.Net;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

public class IpClassifierTests
{
    [Theory]
    [InlineData("8.8.8.8", IpScope.Public)]
    [InlineData("209.85.220.41", IpScope.Public)]
    [InlineData("10.1.2.3", IpScope.Private)]
    [InlineData("172.16.0.1", IpScope.Private)]
    [InlineData("172.31.255.255", IpScope.Private)]
    [InlineData("172.32.0.1", IpScope.Public)]
    [InlineData("192.168.1.1", IpScope.Private)]
    [InlineData("127.0.0.1", IpScope.Loopback)]
    [InlineData("169.254.10.10", IpScope.LinkLocal)]
    [InlineData("100.64.0.1", IpScope.SharedCgnat)]
    [InlineData("100.127.255.254", IpScope.SharedCgnat)]
    [InlineData("100.128.0.1", IpScope.Public)]
    [InlineData("192.0.2.1", IpScope.Documentation)]
    [InlineData("198.51.100.7", IpScope.Documentation)]
    [InlineData("203.0.113.200", IpScope.Documentation)]
    [InlineData("198.18.0.1", IpScope.Reserved)]
    [InlineData("224.0.0.251", IpScope.Multicast)]
    [InlineData("240.0.0.1", IpScope.Reserved)]
    [InlineData("255.255.255.255", IpScope.Reserved)]
    [InlineData("0.0.0.0", IpScope.Unspecified)]
    [InlineData("2603:10b6:404:bb::17", IpScope.Public)]
    [InlineData("2001:db8::1", IpScope.Documentation)]
    [InlineData("::1", IpScope.Loopback)]
    [InlineData("::", IpScope.Unspecified)]
    [InlineData("fe80::1", IpScope.LinkLocal)]
    [InlineData("fd12:3456::1", IpScope.Private)]
    [InlineData("ff02::1", IpScope.Multicast)]
    [InlineData("::ffff:10.0.0.1", IpScope.Private)]
    [InlineData("::ffff:8.8.8.8", IpScope.Public)]
    [InlineData("2002:a2e:8ed9::", IpScope.Private)]
    [InlineData("64:ff9b::808:808", IpScope.Public)]
    public void ClassifiesByExplicitRange(string address, IpScope expected) =>
        IpClassifier.Classify(IPAddress.Parse(address)).ShouldBe(expected);

    /// <summary>
    /// Addresses near every classified boundary (a range's network with random low bits, one bit flipped in its prefix,
    /// wrapped in IPv4-mapped, NAT64 and 6to4 form), all-zero and all-one forms, random bytes and scoped IPv6 addresses:
    /// the byte-span classifier answers as the IPAddress-based one did.
    /// </summary>
    [Fact]
    public void ClassifiesEveryAddressAsTheIpAddressBasedClassifierDid()
    {
        string[] seeds =
        [
            "0.0.0.0", "10.0.0.0", "100.64.0.0", "127.0.0.0", "169.254.0.0", "172.16.0.0", "192.0.0.0", "192.0.2.0", "192.88.99.0",
            "192.168.0.0", "198.18.0.0", "198.51.100.0", "203.0.113.0", "224.0.0.0", "240.0.0.0", "255.255.255.255", "8.8.8.8",
            "100::", "2001:db8::", "3fff::", "fc00::", "fe80::", "fec0::", "ff00::", "2000::", "2002::", "64:ff9b::", "::", "::1",
            "::ffff:0.0.0.0", "4000::",
        ];
        Gen<IPAddress> addresses =
            from seed in Gen.Elements(seeds)
            from keep in Gen.Choose(0, 128)
            from flip in Gen.Choose(-1, 127)
            from noise in Gen.ArrayOf(Gen.Choose(0, 255), 16)
            from wrap in Gen.Choose(0, 5)
            from scope in Gen.Frequency((4, Gen.Constant(0L)), (1, Gen.Choose(1, 9).Select(s => (long)s)))
            select Build(IPAddress.Parse(seed).GetAddressBytes(), keep, flip, noise, wrap, scope);

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(50_000),
            Prop.ForAll(addresses.ToArbitrary(), address => IpClassifier.Classify(address) == LegacyIpClassifier.Classify(address)));
    }

    private static IPAddress Build(byte[] seed, int keep, int flip, int[] noise, int wrap, long scope)
    {
        byte[] bytes = (byte[])seed.Clone();
        for (int bit = Math.Min(keep, bytes.Length * 8); bit < bytes.Length * 8; bit++)
        {
            if ((noise[bit / 8 % noise.Length] >> (bit % 8) & 1) == 1)
            {
                bytes[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            }
        }

        if (flip >= 0 && flip < bytes.Length * 8)
        {
            bytes[flip / 8] ^= (byte)(0x80 >> (flip % 8));
        }

        if (bytes.Length == 4 && wrap > 0)
        {
            byte[] wrapped = new byte[16];
            switch (wrap)
            {
                case 1:
                    wrapped[10] = 0xFF;
                    wrapped[11] = 0xFF;
                    bytes.CopyTo(wrapped, 12);
                    break;
                case 2:
                    IPAddress.Parse("64:ff9b::").GetAddressBytes().CopyTo(wrapped, 0);
                    bytes.CopyTo(wrapped, 12);
                    break;
                case 3:
                    wrapped[0] = 0x20;
                    wrapped[1] = 0x02;
                    bytes.CopyTo(wrapped, 2);
                    break;
                default:
                    return new IPAddress(bytes);
            }

            bytes = wrapped;
        }

        return bytes.Length == 16 ? new IPAddress(bytes, scope) : new IPAddress(bytes);
    }

    [Fact]
    public void ScannerDeduplicatesAndRecordsEveryHeaderAnAddressWasSeenIn()
    {
        IReadOnlyList<HeaderIp> ips = HeaderIpScanner.Scan(
        [
            new("Received", "from a.test (a.test [198.51.100.1]) by mx.test ([10.0.0.5]) with ESMTPS id x2sor7285383vkb.70.2020.03.15.14.55.07; Mon, 1 Jan 2024 10:00:00 +0000"),
            new("X-Originating-IP", "[198.51.100.1]"),
            new("Received", "from [IPv6:2001:db8::25] by b.test (8.14.4/8.14.4); Mon, 1 Jan 2024 10:00:00 +0000"),
            new("DKIM-Signature", "v=1; b=1.2.3.4"),
        ]);

        ips.Select(ip => ip.Address).ShouldBe(["198.51.100.1", "10.0.0.5", "2001:db8::25"]);
        ips[0].SeenIn.ShouldBe(["Received", "X-Originating-IP"]);
        ips[0].IsPublic.ShouldBeFalse();
        ips[0].Scope.ShouldBe(IpScope.Documentation);
        ips[1].Scope.ShouldBe(IpScope.Private);
        ips[2].Version.ShouldBe(6);
    }

    [Theory]
    [InlineData("Sun, 15 Mar 2020 14:55:07 -0700")]
    [InlineData("version 8.14.4/8.14.4")]
    [InlineData("id x2sor7285383vkb.70.2020.03.15.14.55.07")]
    [InlineData("MAC 00:11:22:33:44:55")]
    [InlineData("999.1.1.1")]
    public void TimesVersionsAndIdsAreNotAddresses(string text) =>
        HeaderIpScanner.Find(text).ShouldBeEmpty();
}
