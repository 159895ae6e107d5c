using System.Net;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Queries;

/// <summary>Host names that resolve to refused addresses: the check is on the address connected to, not on the URL.</summary>
public sealed class QueryConnectorTests : IAsyncLifetime
{
    private readonly FakeResolver resolver = new();
    private TestApiServer api = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        api = await TestApiServer.StartAsync();
        services = QueryTestServices.Create(s => s.AddSingleton<IHostAddressResolver>(resolver));
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await api.DisposeAsync();
    }

    [Fact]
    public async Task ExecuteAsync_NameResolvingToLoopback_ConnectsThroughResolver()
    {
        resolver.Map("api.test", IPAddress.Loopback);
        api.MapJson("GET", "/ok", """{"ok":1}""");

        var result = await services.Executor().ExecuteAsync(new HttpQueryRequest { QueryName = "Named", Url = $"http://api.test:{api.BaseUri.Port}/ok", AllowedHosts = [$"api.test:{api.BaseUri.Port}"] });

        Assert.True(result.IsExecutionSuccess, result.Error);
        Assert.Equal($"api.test:{api.BaseUri.Port}", Assert.Single(api.Requests).Header("Host"));
    }

    [Theory]
    [InlineData("169.254.169.254", "a cloud metadata address")]
    [InlineData("fd00:ec2::254", "a cloud metadata address")]
    [InlineData("169.254.10.1", "a link-local address")]
    [InlineData("fe80::1", "a link-local address")]
    [InlineData("::", "the unspecified address")]
    [InlineData("224.0.0.1", "a multicast address")]
    public async Task ExecuteAsync_NameResolvingToRefusedAddress_RefusedWithoutConnecting(string address, string reason)
    {
        resolver.Map("sneaky.test", IPAddress.Parse(address));

        var result = await services.Executor().ExecuteAsync(new HttpQueryRequest { QueryName = "Sneaky", Url = "http://sneaky.test/latest", AllowedHosts = ["sneaky.test"] });

        Assert.False(result.IsExecutionSuccess);
        Assert.Equal(0, result.StatusCode);
        Assert.Equal($"Sneaky refused: sneaky.test resolves to {IPAddress.Parse(address)}, {reason}, which queries may not reach. No request was sent.", result.Error);
    }

    [Fact]
    public async Task ExecuteAsync_NameWithOneRefusedAddressAmongGood_Refused()
    {
        resolver.Map("mixed.test", IPAddress.Loopback, IPAddress.Parse("169.254.169.254"));
        api.MapJson("GET", "/ok", "{}");

        var result = await services.Executor().ExecuteAsync(new HttpQueryRequest { QueryName = "Mixed", Url = $"http://mixed.test:{api.BaseUri.Port}/ok", AllowedHosts = [$"mixed.test:{api.BaseUri.Port}"] });

        Assert.StartsWith("Mixed refused:", result.Error);
        Assert.Empty(api.Requests);
    }

    private sealed class FakeResolver : IHostAddressResolver
    {
        private readonly Dictionary<string, IPAddress[]> names = new(StringComparer.OrdinalIgnoreCase);

        public void Map(string host, params IPAddress[] addresses) => names[host] = addresses;

        public ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
            ValueTask.FromResult(names.TryGetValue(host, out var a) ? a : IPAddress.TryParse(host, out var literal) ? [literal] : []);
    }
}
