using System.Net;
using System.Net.Sockets;

namespace LowCodeTokens.Engine.Queries;

/// <summary>Addresses a query may never connect to, whatever its allowed hosts say.</summary>
/// <remarks>
/// Loopback stays allowed: the demo and the tests talk to 127.0.0.1. What is refused is what an SSRF
/// would aim at on a cloud host: metadata services, link-local, and addresses that mean "any" or "many".
/// </remarks>
internal static class QueryAddressPolicy
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");
    private static readonly IPAddress AlibabaMetadata = IPAddress.Parse("100.100.100.200");

    /// <summary>Why <paramref name="address"/> is refused, or <c>null</c> when it may be reached.</summary>
    public static string? RefusalReason(IPAddress address)
    {
        address = Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return RefusalReasonV4(address.GetAddressBytes());
        }

        if (address.Equals(AwsMetadataV6)) return "a cloud metadata address";
        if (address.Equals(IPAddress.IPv6Any)) return "the unspecified address";
        if (address.IsIPv6LinkLocal) return "a link-local address";
        if (address.IsIPv6Multicast) return "a multicast address";
        return null;
    }

    private static string? RefusalReasonV4(byte[] b)
    {
        if (b is [169, 254, 169, 254] || b is [100, 100, 100, 200]) return "a cloud metadata address";
        if (b[0] == 169 && b[1] == 254) return "a link-local address";
        // 0.0.0.0/8 is "this host/network": connecting to 0.0.0.0 reaches local services on Linux.
        if (b[0] == 0) return "the unspecified address";
        if (b[0] is >= 224 and <= 239) return "a multicast address";
        if (b[0] >= 240) return "a reserved or broadcast address";
        return null;
    }

    // An IPv4 address can hide inside IPv6 (mapped ::ffff:a.b.c.d, or NAT64 64:ff9b::a.b.c.d); judge the IPv4 inside.
    private static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            {
                return new IPAddress(bytes.AsSpan(12, 4));
            }
        }

        return address;
    }
}
