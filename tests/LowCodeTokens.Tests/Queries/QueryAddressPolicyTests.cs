using System.Net;
using LowCodeTokens.Engine.Queries;

namespace LowCodeTokens.Tests.Queries;

public sealed class QueryAddressPolicyTests
{
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
    public void RefusalReason_RefusedAddress_ReturnsReason(string address) =>
        Assert.NotNull(QueryAddressPolicy.RefusalReason(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.1.2.3")]
    [InlineData("100.100.100.201")]
    [InlineData("93.184.216.34")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:127.0.0.1")]
    public void RefusalReason_OrdinaryAddress_ReturnsNull(string address) =>
        Assert.Null(QueryAddressPolicy.RefusalReason(IPAddress.Parse(address)));
}
