using System.Net;
using System.Net.Sockets;

namespace LowCodeTokens.Engine.Queries;

/// <summary>Addresses a query may never connect to, whatever its allowed hosts say.</summary>
/// <remarks>
/// What an SSRF would aim at on a cloud host is always refused: metadata services, link-local, and addresses that mean
/// "any" or "many". Loopback (the host's own API) and private ranges (the operator's network) are refused unless the
/// operator allows them (<see cref="QueryOptions.AllowLoopback"/>, <see cref="QueryOptions.AllowPrivateNetworks"/>).
/// </remarks>
internal static class QueryAddressPolicy
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>Why <paramref name="address"/> is refused, or <c>null</c> when it may be reached.</summary>
    public static string? RefusalReason(IPAddress address, QueryOptions options)
    {
        address = Normalize(address);
        var reason = address.AddressFamily == AddressFamily.InterNetwork
            ? AlwaysRefusedV4(address.GetAddressBytes())
            : AlwaysRefusedV6(address);
        if (reason is not null) return reason;

        if (IPAddress.IsLoopback(address) && !options.AllowLoopback)
            return "a loopback address (allowed only by LowCodeTokens:Queries:AllowLoopback)";
        if (IsPrivate(address) && !options.AllowPrivateNetworks)
            return "a private network address (allowed only by LowCodeTokens:Queries:AllowPrivateNetworks)";
        return null;
    }

    private static string? AlwaysRefusedV4(byte[] b)
    {
        if (b is [169, 254, 169, 254] || b is [100, 100, 100, 200]) return "a cloud metadata address";
        if (b[0] == 169 && b[1] == 254) return "a link-local address";
        // 0.0.0.0/8 is "this host/network": connecting to 0.0.0.0 reaches local services on Linux.
        if (b[0] == 0) return "the unspecified address";
        if (b[0] is >= 224 and <= 239) return "a multicast address";
        if (b[0] >= 240) return "a reserved or broadcast address";
        return null;
    }

    private static string? AlwaysRefusedV6(IPAddress address)
    {
        if (address.Equals(AwsMetadataV6)) return "a cloud metadata address";
        if (address.Equals(IPAddress.IPv6Any)) return "the unspecified address";
        if (address.IsIPv6LinkLocal) return "a link-local address";
        if (address.IsIPv6Multicast) return "a multicast address";
        return null;
    }

    // 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT, also cloud-internal); fc00::/7 (unique local), fec0::/10 (site-local).
    private static bool IsPrivate(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (b[1] & 0xc0) == 64);
        return (b[0] & 0xfe) == 0xfc || address.IsIPv6SiteLocal;
    }

    /// <summary>The IPv4 address an IPv6 address embeds, judged as that IPv4 address; other addresses as they are.</summary>
    /// <remarks>
    /// Each form reaches (or, through a translator, may reach) the IPv4 host it names, so <c>[::a9fe:a9fe]</c> is the metadata
    /// service as much as 169.254.169.254 is: IPv4-mapped <c>::ffff:0:0/96</c>, IPv4-translated <c>::ffff:0:0:0/96</c>,
    /// IPv4-compatible <c>::/96</c> (but <c>::</c> and <c>::1</c>, which are IPv6's own), NAT64 <c>64:ff9b::/96</c>,
    /// 6to4 <c>2002::/16</c> (the IPv4 address in bits 16–47) and Teredo <c>2001::/32</c> (the client's, inverted, in the last 32 bits).
    /// </remarks>
    internal static IPAddress Normalize(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();

        var b = address.GetAddressBytes();
        var span = b.AsSpan();
        if (span[..8].IndexOfAnyExcept((byte)0) < 0)
        {
            // ::ffff:0:a.b.c.d (translated) or ::a.b.c.d (compatible).
            if (b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0) return new IPAddress(span[12..]);
            if (span[8..12].IndexOfAnyExcept((byte)0) < 0 && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
                return new IPAddress(span[12..]);
            return address;
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && span[4..12].IndexOfAnyExcept((byte)0) < 0)
            return new IPAddress(span[12..]);
        if (b[0] == 0x20 && b[1] == 0x02) return new IPAddress(span[2..6]);
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
            return new IPAddress([(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]]);
        return address;
    }
}
