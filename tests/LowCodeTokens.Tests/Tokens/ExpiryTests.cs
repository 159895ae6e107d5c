using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>SPEC §4 "Expiry", with the shipped module on a fake clock: the lifetime chain and the refresh point.</summary>
public sealed class ExpiryTests
{
    private static async Task<long> LifetimeMsAsync(Action<OAuthTestServer> server)
    {
        var clock = TestClock.Create();
        await using var app = await AuthApp.StartAsync(clock, server);
        var load = await app.LoadAsync();
        Assert.True(load.Actions.All(a => a.Status == "success"), string.Join("; ", load.Actions.Select(a => a.Error)));
        return long.Parse((await app.StoredAsync("authExpiresAt"))!) - clock.GetUtcNow().ToUnixTimeMilliseconds();
    }

    [Fact]
    public async Task Lifetime_NoExpiresInWithJwtExp_UsesExp()
    {
        Assert.Equal(120_000, await LifetimeMsAsync(s => { s.IncludeExpiresIn = false; s.AccessTokenLifetime = TimeSpan.FromMinutes(2); }));
    }

    [Fact]
    public async Task Lifetime_ExpiresInDisagreesWithExp_UsesExpiresIn()
    {
        Assert.Equal(90_000, await LifetimeMsAsync(s => { s.ExpiresInSeconds = 90; s.AccessTokenLifetime = TimeSpan.FromMinutes(2); }));
    }

    [Fact]
    public async Task Lifetime_OpaqueWithExpiresIn_UsesExpiresIn()
    {
        Assert.Equal(600_000, await LifetimeMsAsync(s => { s.TokenFormat = AccessTokenFormat.Opaque; s.AccessTokenLifetime = TimeSpan.FromMinutes(10); }));
    }

    [Fact]
    public async Task Lifetime_OpaqueWithoutExpiresIn_FiveMinutes()
    {
        Assert.Equal(300_000, await LifetimeMsAsync(s => { s.TokenFormat = AccessTokenFormat.Opaque; s.IncludeExpiresIn = false; }));
    }

    [Theory]
    [InlineData(10, 7_400, 7_500)]        // 25% of 10 s
    [InlineData(3_600, 3_539_000, 3_540_000)] // 60 s before a 1 h token expires
    public async Task GetAccessToken_AroundTheRefreshPoint_RefreshesAtItNotBefore(int lifetimeSeconds, int beforeMs, int atMs)
    {
        var clock = TestClock.Create();
        await using var app = await AuthApp.StartAsync(clock, s => s.AccessTokenLifetime = TimeSpan.FromSeconds(lifetimeSeconds));
        Assert.True((await app.LoadAsync()).Actions.All(a => a.Status == "success"));
        var first = await app.StoredStringAsync("authAccessToken");
        Assert.Equal(1, app.Server.TokenRequests);

        app.Advance(TimeSpan.FromMilliseconds(beforeMs));
        Assert.True((await app.LoadAsync()).Actions.All(a => a.Status == "success")); // a new tab: sessions idle out after 30 min
        Assert.Equal(1, app.Server.TokenRequests);
        Assert.Equal(first, await app.StoredStringAsync("authAccessToken"));

        app.Advance(TimeSpan.FromMilliseconds(atMs - beforeMs));
        Assert.True((await app.LoadAsync()).Actions.All(a => a.Status == "success")); // a new tab: sessions idle out after 30 min
        Assert.Equal(2, app.Server.TokenRequests);
        Assert.Equal(1, app.Server.TokenRequestsFor("refresh_token"));
        Assert.Equal(3, app.Server.ApiRequests); // three page loads, none answered 401
        Assert.NotEqual(first, await app.StoredStringAsync("authAccessToken"));
    }
}
