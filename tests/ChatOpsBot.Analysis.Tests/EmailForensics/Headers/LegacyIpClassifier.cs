using System.Net;
using System.Net.Sockets;
using ChatOpsBot.Analysis.EmailForensics.Headers;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

/// <summary>
/// The classifier as it was before it compared address bytes on the stack (IPAddress networks, a byte array per
/// comparison): the oracle the current one is held to over generated addresses.
/// </summary>
internal static class LegacyIpClassifier
{
    private static readonly (IPAddress Network, int Prefix, IpScope Scope)[] s_v4Ranges =
    [
        (IPAddress.Parse("0.0.0.0"), 8, IpScope.Unspecified),
        (IPAddress.Parse("10.0.0.0"), 8, IpScope.Private),
        (IPAddress.Parse("100.64.0.0"), 10, IpScope.SharedCgnat),
        (IPAddress.Parse("127.0.0.0"), 8, IpScope.Loopback),
        (IPAddress.Parse("169.254.0.0"), 16, IpScope.LinkLocal),
        (IPAddress.Parse("172.16.0.0"), 12, IpScope.Private),
        (IPAddress.Parse("192.0.0.0"), 24, IpScope.Reserved),
        (IPAddress.Parse("192.0.2.0"), 24, IpScope.Documentation),
        (IPAddress.Parse("192.88.99.0"), 24, IpScope.Reserved),
        (IPAddress.Parse("192.168.0.0"), 16, IpScope.Private),
        (IPAddress.Parse("198.18.0.0"), 15, IpScope.Reserved),
        (IPAddress.Parse("198.51.100.0"), 24, IpScope.Documentation),
        (IPAddress.Parse("203.0.113.0"), 24, IpScope.Documentation),
        (IPAddress.Parse("224.0.0.0"), 4, IpScope.Multicast),
        (IPAddress.Parse("240.0.0.0"), 4, IpScope.Reserved),
    ];

    private static readonly (IPAddress Network, int Prefix, IpScope Scope)[] s_v6Ranges =
    [
        (IPAddress.Parse("100::"), 64, IpScope.Reserved),
        (IPAddress.Parse("2001:db8::"), 32, IpScope.Documentation),
        (IPAddress.Parse("3fff::"), 20, IpScope.Documentation),
        (IPAddress.Parse("fc00::"), 7, IpScope.Private),
        (IPAddress.Parse("fe80::"), 10, IpScope.LinkLocal),
        (IPAddress.Parse("fec0::"), 10, IpScope.Reserved),
        (IPAddress.Parse("ff00::"), 8, IpScope.Multicast),
    ];

    private static readonly IPAddress s_globalUnicast = IPAddress.Parse("2000::");
    private static readonly IPAddress s_sixToFour = IPAddress.Parse("2002::");
    private static readonly IPAddress s_nat64 = IPAddress.Parse("64:ff9b::");

    public static IpScope Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (address.Equals(IPAddress.Broadcast))
            {
                return IpScope.Reserved;
            }

            foreach ((IPAddress network, int prefix, IpScope scope) in s_v4Ranges)
            {
                if (InRange(address, network, prefix))
                {
                    return scope;
                }
            }

            return IpScope.Public;
        }

        if (address.Equals(IPAddress.IPv6None))
        {
            return IpScope.Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return IpScope.Loopback;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return Classify(address.MapToIPv4());
        }

        byte[] bytes = address.GetAddressBytes();
        if (InRange(address, s_nat64, 96))
        {
            return Classify(new IPAddress(bytes.AsSpan(12, 4)));
        }

        if (InRange(address, s_sixToFour, 16))
        {
            return Classify(new IPAddress(bytes.AsSpan(2, 4)));
        }

        foreach ((IPAddress network, int prefix, IpScope scope) in s_v6Ranges)
        {
            if (InRange(address, network, prefix))
            {
                return scope;
            }
        }

        return InRange(address, s_globalUnicast, 3) ? IpScope.Public : IpScope.Reserved;
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        byte[] a = address.GetAddressBytes();
        byte[] n = network.GetAddressBytes();
        int fullBytes = prefix / 8;
        for (int i = 0; i < fullBytes; i++)
        {
            if (a[i] != n[i])
            {
                return false;
            }
        }

        int remainingBits = prefix % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        int mask = 0xFF << (8 - remainingBits) & 0xFF;
        return (a[fullBytes] & mask) == (n[fullBytes] & mask);
    }
}
