using System.Net;
using System.Net.Sockets;

namespace ChatOpsBot.BotFramework.Files;

/// <summary>What kind of address an outbound connection would reach.</summary>
public enum AddressScope
{
    /// <summary>A globally routable unicast address.</summary>
    Public,

    /// <summary>127.0.0.0/8 or ::1.</summary>
    Loopback,

    /// <summary>Private, CGNAT, link-local (cloud metadata), multicast, unique-local, documentation, reserved, unspecified…</summary>
    NonPublic,
}

/// <summary>
/// Classifies IP addresses for server-side request forgery checks. IPv4-mapped, NAT64 and 6to4 IPv6 addresses are
/// judged by the IPv4 address they carry; IPv6 outside 2000::/3 is non-public.
/// </summary>
public static class NetworkAddressPolicy
{
    private static readonly (uint Network, int PrefixLength)[] s_nonPublicV4 =
    [
        (0x00000000, 8),    // 0.0.0.0/8 "this network"
        (0x0A000000, 8),    // 10.0.0.0/8
        (0x64400000, 10),   // 100.64.0.0/10 carrier-grade NAT
        (0xA9FE0000, 16),   // 169.254.0.0/16 link-local, cloud metadata
        (0xAC100000, 12),   // 172.16.0.0/12
        (0xC0000000, 24),   // 192.0.0.0/24 IETF protocol assignments
        (0xC0000200, 24),   // 192.0.2.0/24 TEST-NET-1
        (0xC0586300, 24),   // 192.88.99.0/24 6to4 relay anycast
        (0xC0A80000, 16),   // 192.168.0.0/16
        (0xC6120000, 15),   // 198.18.0.0/15 benchmarking
        (0xC6336400, 24),   // 198.51.100.0/24 TEST-NET-2
        (0xCB007100, 24),   // 203.0.113.0/24 TEST-NET-3
        (0xE0000000, 4),    // 224.0.0.0/4 multicast
        (0xF0000000, 4),    // 240.0.0.0/4 reserved, broadcast
    ];

    public static AddressScope Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(ToUInt32(address.GetAddressBytes()));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressScope.NonPublic;
        }

        byte[] bytes = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6)
        {
            return ClassifyV4(ToUInt32(bytes.AsSpan(12)));
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressScope.Loopback;
        }

        // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) reach the IPv4 address they embed, through a gateway whose own
        // loopback is not ours: anything but a public IPv4 address there is non-public.
        if (bytes.AsSpan(0, 12).SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]))
        {
            return PublicOrNot(ClassifyV4(ToUInt32(bytes.AsSpan(12))));
        }

        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return PublicOrNot(ClassifyV4(ToUInt32(bytes.AsSpan(2, 4))));
        }

        // Only 2000::/3 is global unicast; inside it, Teredo and other IETF assignments (2001::/23), ORCHID and
        // documentation (2001:db8::/32, 3fff::/20) are not places a download should go.
        bool globalUnicast = (bytes[0] & 0xE0) == 0x20;
        bool ietfAssignment = bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] < 0x02;
        bool documentation = (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8)
            || (bytes[0] == 0x3f && bytes[1] == 0xff && (bytes[2] & 0xF0) == 0);
        return globalUnicast && !ietfAssignment && !documentation ? AddressScope.Public : AddressScope.NonPublic;
    }

    private static AddressScope PublicOrNot(AddressScope scope) => scope == AddressScope.Public ? AddressScope.Public : AddressScope.NonPublic;

    private static AddressScope ClassifyV4(uint address)
    {
        if (address >> 24 == 127)
        {
            return AddressScope.Loopback;
        }

        foreach ((uint network, int prefixLength) in s_nonPublicV4)
        {
            uint mask = uint.MaxValue << (32 - prefixLength);
            if ((address & mask) == network)
            {
                return AddressScope.NonPublic;
            }
        }

        return AddressScope.Public;
    }

    private static uint ToUInt32(ReadOnlySpan<byte> bytes) =>
        ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
}
