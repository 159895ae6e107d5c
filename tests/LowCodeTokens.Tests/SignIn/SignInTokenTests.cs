using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LowCodeTokens.Tests.SignIn;

/// <summary>
/// Issue 12: each signed-in user's tokens are refreshed in their own scope, once however many of their pages load, counted
/// at the real provider; a user whose refresh token is rejected for good is sent through sign-in again.
/// </summary>
public sealed class SignInTokenTests : IAsyncLifetime
{
    private SignInHost _host = null!;

    public async Task InitializeAsync() => _host = await SignInHost.StartAsync(fakeClock: true);

    [Fact]
    public async Task Load_AfterExpiry_FiftyConcurrentLoadsRefreshOnceForAliceAndBobIsUntouched()
    {
        using var alice = new SignInFlow();
        using var bob = new SignInFlow();
        await alice.SignInAsync(_host.PageUrl, "alice");
        await bob.SignInAsync(_host.PageUrl, "bob");
        await AssertShowsAsync(alice, "alice");
        var bobBefore = await _host.StoreOfAsync("bob");
        var aliceRefreshBefore = Stored(await _host.StoreOfAsync("alice"), "authRefreshToken");
        Assert.Equal(0, _host.Idp.Refreshes("alice"));

        _host.Clock!.Advance(TimeSpan.FromHours(1)); // the provider's access tokens live 1 h (expires_in 3600)
        var loads = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => AssertShowsAsync(alice, "alice")));

        Assert.Equal(50, loads.Length);
        Assert.Equal(1, _host.Idp.Refreshes("alice"));
        Assert.Equal(0, _host.Idp.Refreshes("bob"));
        Assert.Equal(bobBefore, await _host.StoreOfAsync("bob"));
        // Rotation: the new refresh token is the stored one, and the old one is dead at the provider.
        var aliceRefreshAfter = Stored(await _host.StoreOfAsync("alice"), "authRefreshToken");
        Assert.NotEqual(aliceRefreshBefore, aliceRefreshAfter);
        Assert.Equal("invalid_grant", await _host.RedeemAsync(aliceRefreshBefore));

        // Bob's own expired token: one refresh of his own (N users, N refreshes).
        await AssertShowsAsync(bob, "bob");
        Assert.Equal(1, _host.Idp.Refreshes("bob"));
        Assert.Equal(1, _host.Idp.Refreshes("alice"));
    }

    [Fact]
    public async Task Load_RotatedRefreshToken_PersistedBeforeUse_NextRefreshUsesIt()
    {
        using var alice = new SignInFlow();
        await alice.SignInAsync(_host.PageUrl, "alice");
        for (int round = 1; round <= 3; round++)
        {
            _host.Clock!.Advance(TimeSpan.FromHours(1));
            // Each refresh redeems the refresh token the previous one stored; with no reuse leeway at the provider, a
            // refresh token not persisted (the old one reused) would be invalid_grant and the load would fail.
            await AssertShowsAsync(alice, "alice");
            Assert.Equal(round, _host.Idp.Refreshes("alice"));
        }
    }

    [Fact]
    public async Task Load_RefreshTokenRejectedForGood_SendsUserThroughSignInAgain()
    {
        using var alice = new SignInFlow();
        await alice.SignInAsync(_host.PageUrl, "alice");
        await AssertShowsAsync(alice, "alice");
        // The provider no longer honours the refresh token (revoked by someone else, say).
        Assert.Null(await _host.RevokeAsync(Stored(await _host.StoreOfAsync("alice"), "authRefreshToken")));

        _host.Clock!.Advance(TimeSpan.FromHours(1));
        using var load = await alice.LoadAsync(_host.Host.BaseUrl, SignInHost.App);
        var problem = await load.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.Unauthorized, load.StatusCode);
        Assert.Equal("/apps/portal/signin?page=Home", problem!["signIn"]!.GetValue<string>());
        Assert.False(alice.HasSession(_host.Host.BaseUrl, SignInHost.App));

        // Signing in again works and shows her data.
        await alice.SignInAsync(_host.PageUrl, "alice");
        await AssertShowsAsync(alice, "alice");
    }

    private async Task<JsonObject> AssertShowsAsync(SignInFlow flow, string user)
    {
        using var response = await flow.LoadAsync(_host.Host.BaseUrl, SignInHost.App);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var load = JsonNode.Parse(body)!.AsObject();
        Assert.All(load["actions"]!.AsArray(), a => Assert.Equal("success", a!["status"]!.GetValue<string>()));
        var rows = load["widgets"]!["Items"]!["tableData"]!.AsArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.EndsWith($"({user})", r!["title"]!.GetValue<string>()));
        Assert.Equal(user, load["user"]!.GetValue<string>());
        return load;
    }

    private static string Stored(IReadOnlyDictionary<string, string> values, string key) =>
        JsonSerializer.Deserialize<string>(values[key])!;

    public async Task DisposeAsync() => await _host.DisposeAsync();
}
