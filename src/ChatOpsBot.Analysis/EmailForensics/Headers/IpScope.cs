using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatOpsBot.Analysis.EmailForensics.Headers;

/// <summary>Where an address can route. Only <see cref="Public"/> addresses say anything about a sender on the internet.</summary>
public enum IpScope
{
    Public,
    Private,
    Loopback,
    LinkLocal,
    SharedCgnat,
    Documentation,
    Multicast,
    Unspecified,
    Reserved,
}

/// <summary>
/// Classifies addresses by explicit IANA special-purpose ranges (RFC 6890 and successors) rather than by
/// <see cref="IPAddress"/> helpers alone, which miss CGNAT, documentation and benchmarking space.
/// IPv4-mapped, NAT64 and 6to4 IPv6 addresses are classified by the IPv4 address they embed
/// (Gmail's internal <c>2002:a2e:...</c> hosts are 6to4 wrappers of 10/8).
/// </summary>
public static class IpClassifier
{
    // The networks as bytes, taken once: comparing against them needs no IPAddress.GetAddressBytes copy per range.
    private static readonly (byte[] Network, int Prefix, IpScope Scope)[] s_v4Ranges =
    [
        (Bytes("0.0.0.0"), 8, IpScope.Unspecified),
        (Bytes("10.0.0.0"), 8, IpScope.Private),
        (Bytes("100.64.0.0"), 10, IpScope.SharedCgnat),
        (Bytes("127.0.0.0"), 8, IpScope.Loopback),
        (Bytes("169.254.0.0"), 16, IpScope.LinkLocal),
        (Bytes("172.16.0.0"), 12, IpScope.Private),
        (Bytes("192.0.0.0"), 24, IpScope.Reserved),
        (Bytes("192.0.2.0"), 24, IpScope.Documentation),
        (Bytes("192.88.99.0"), 24, IpScope.Reserved),
        (Bytes("192.168.0.0"), 16, IpScope.Private),
        (Bytes("198.18.0.0"), 15, IpScope.Reserved),
        (Bytes("198.51.100.0"), 24, IpScope.Documentation),
        (Bytes("203.0.113.0"), 24, IpScope.Documentation),
        (Bytes("224.0.0.0"), 4, IpScope.Multicast),
        (Bytes("240.0.0.0"), 4, IpScope.Reserved),
    ];

    private static readonly (byte[] Network, int Prefix, IpScope Scope)[] s_v6Ranges =
    [
        (Bytes("100::"), 64, IpScope.Reserved),
        (Bytes("2001:db8::"), 32, IpScope.Documentation),
        (Bytes("3fff::"), 20, IpScope.Documentation),
        (Bytes("fc00::"), 7, IpScope.Private),
        (Bytes("fe80::"), 10, IpScope.LinkLocal),
        (Bytes("fec0::"), 10, IpScope.Reserved),
        (Bytes("ff00::"), 8, IpScope.Multicast),
    ];

    private static readonly byte[] s_globalUnicast = Bytes("2000::");
    private static readonly byte[] s_sixToFour = Bytes("2002::");
    private static readonly byte[] s_nat64 = Bytes("64:ff9b::");

    public static IpScope Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            throw new UnreachableException("an IPv4 or IPv6 address has at most 16 bytes");
        }

        // IPAddress.Equals compares an IPv6 scope id too: "::%1" is neither IPv6None nor IPv6Loopback.
        return address.AddressFamily == AddressFamily.InterNetwork
            ? ClassifyV4(bytes[..written])
            : ClassifyV6(bytes[..written], address.ScopeId == 0);
    }

    private static IpScope ClassifyV4(ReadOnlySpan<byte> address)
    {
        if (address.IndexOfAnyExcept((byte)0xFF) < 0)
        {
            return IpScope.Reserved;
        }

        foreach ((byte[] network, int prefix, IpScope scope) in s_v4Ranges)
        {
            if (InRange(address, network, prefix))
            {
                return scope;
            }
        }

        return IpScope.Public;
    }

    private static IpScope ClassifyV6(ReadOnlySpan<byte> address, bool unscoped)
    {
        if (unscoped && address.IndexOfAnyExcept((byte)0) < 0)
        {
            return IpScope.Unspecified;
        }

        if (unscoped && address[..15].IndexOfAnyExcept((byte)0) < 0 && address[15] == 1)
        {
            return IpScope.Loopback;
        }

        // IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002:AABB:CCDD::/16) wrap an IPv4 address.
        if (address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF)
        {
            return ClassifyV4(address.Slice(12, 4));
        }

        if (InRange(address, s_nat64, 96))
        {
            return ClassifyV4(address.Slice(12, 4));
        }

        if (InRange(address, s_sixToFour, 16))
        {
            return ClassifyV4(address.Slice(2, 4));
        }

        foreach ((byte[] network, int prefix, IpScope scope) in s_v6Ranges)
        {
            if (InRange(address, network, prefix))
            {
                return scope;
            }
        }

        return InRange(address, s_globalUnicast, 3) ? IpScope.Public : IpScope.Reserved;
    }

    private static bool InRange(ReadOnlySpan<byte> address, byte[] network, int prefix)
    {
        if (address.Length != network.Length)
        {
            return false;
        }

        int fullBytes = prefix / 8;
        if (!address[..fullBytes].SequenceEqual(network.AsSpan(0, fullBytes)))
        {
            return false;
        }

        int remainingBits = prefix % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        int mask = 0xFF << (8 - remainingBits) & 0xFF;
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    private static byte[] Bytes(string address) => IPAddress.Parse(address).GetAddressBytes();
}
