using System.Net;
using LowCodeTokens.Engine;
using LowCodeTokens.Engine.Queries;

namespace LowCodeTokens.Tests.Queries;

public sealed class QueryAddressPolicyTests
{
    private static readonly QueryOptions Defaults = new();
    private static readonly QueryOptions AllowAll = new() { AllowLoopback = true, AllowPrivateNetworks = true };

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("239.255.255.250")]
    [InlineData("fe80::abcd")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void RefusalReason_RefusedAddress_RefusedEvenWithLoopbackAndPrivateAllowed(string address) =>
        Assert.NotNull(QueryAddressPolicy.RefusalReason(IPAddress.Parse(address), AllowAll));

    // Every IPv6 form that embeds 169.254.169.254 is the metadata address.
    [Theory]
    [InlineData("::ffff:a9fe:a9fe")]              // IPv4-mapped
    [InlineData("::a9fe:a9fe")]                   // IPv4-compatible
    [InlineData("::169.254.169.254")]             // IPv4-compatible, dotted
    [InlineData("::ffff:0:a9fe:a9fe")]            // IPv4-translated
    [InlineData("64:ff9b::a9fe:a9fe")]            // NAT64 well-known prefix
    [InlineData("64:ff9b::169.254.169.254")]
    [InlineData("2002:a9fe:a9fe::")]              // 6to4
    [InlineData("2002:a9fe:a9fe:1234::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:5601:5601")] // Teredo (client address inverted)
    public void RefusalReason_IPv6FormEmbeddingTheMetadataAddress_RefusedAsMetadata(string address) =>
        Assert.Equal("a cloud metadata address", QueryAddressPolicy.RefusalReason(IPAddress.Parse(address), AllowAll));

    [Theory]
    [InlineData("::7f00:1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("::a00:1", "a private network address")]
    [InlineData("2002:c0a8:101::1", "a private network address")]
    public void RefusalReason_IPv6FormEmbeddingLoopbackOrPrivate_JudgedAsTheIPv4Inside(string address, string reason = "a loopback address")
    {
        Assert.StartsWith(reason, QueryAddressPolicy.RefusalReason(IPAddress.Parse(address), Defaults));
        Assert.Null(QueryAddressPolicy.RefusalReason(IPAddress.Parse(address), AllowAll));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    public void RefusalReason_Loopback_RefusedUnlessAllowed(string address)
    {
        Assert.Equal("a loopback address (allowed only by LowCodeTokens:Queries:AllowLoopback)",
            QueryAddressPolicy.RefusalReason(IPAddress.Parse(address), new QueryOptions { AllowPrivateNetworks = true }));
        Assert.Null(QueryAddressPolicy.RefusalReason(IPAddress.Parse(address), new QueryOptions { AllowLoopback = true }));
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.100.100.201")]
    [InlineData("fd12:3456::1")]
    [InlineData("fc00::1")]
    public void RefusalReason_PrivateRange_RefusedUnlessAllowed(string address)
    {
        Assert.Equal("a private network address (allowed only by LowCodeTokens:Queries:AllowPrivateNetworks)",
            QueryAddressPolicy.RefusalReason(IPAddress.Parse(address), new QueryOptions { AllowLoopback = true }));
        Assert.Null(QueryAddressPolicy.RefusalReason(IPAddress.Parse(address), new QueryOptions { AllowPrivateNetworks = true }));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:93.184.216.34")]
    [InlineData("2002:5db8:d822::1")]
    public void RefusalReason_PublicAddress_ReturnsNull(string address) =>
        Assert.Null(QueryAddressPolicy.RefusalReason(IPAddress.Parse(address), Defaults));
}
