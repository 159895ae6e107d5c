using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>
/// Issue 12 in the engine: the shipped Auth module (grantType <c>authorization_code</c>) keeps the token response a sign-in
/// hands it (<see cref="IScopedRuntime.CallModuleAsync"/>) in that user's scope only, refreshes and rotates it there, and
/// gives it back at sign-out; another scope sees no token and is told to sign in.
/// </summary>
public sealed class SignInTokensModuleTests : IAsyncLifetime
{
    private const string Alice = "user:alice-scope", Bob = "user:bob-scope";
    private AuthModuleHarness _auth = null!;

    private IScopedRuntime Scoped => _auth.Engine.Services.GetRequiredService<IScopedRuntime>();

    public async Task InitializeAsync() =>
        _auth = await AuthModuleHarness.StartAsync(new JsonObject { ["grantType"] = "authorization_code" });

    [Fact]
    public async Task AcceptTokens_ServedInThatScopeOnly_OtherScopeMustSignIn()
    {
        await AcceptAsync(Alice, "at-alice", "rt-alice");

        Assert.Equal("at-alice", await GetAccessTokenAsync(Alice));
        var bob = await RunAsync(Bob, "Auth_Module.getAccessToken");
        Assert.Contains("needs to sign in", bob.Error!.Message);
        Assert.Empty(_auth.Server.Requests); // nothing was fetched: the tokens came from the sign-in
        Assert.True(await NeedsSignInAsync(Bob));
        Assert.False(await NeedsSignInAsync(Alice));
        Assert.Empty((await _auth.Engine.Store.ReadAsync(AuthModuleHarness.App, "app")).Values);
    }

    [Fact]
    public async Task AfterExpiry_RefreshesWithTheAcceptedRefreshToken_AndStoresTheRotatedOne()
    {
        await AcceptAsync(Alice, "at-alice", "rt-alice");
        _auth.Server.ValidRefreshTokens.Add("rt-alice");
        _auth.Clock.Advance(TimeSpan.FromHours(1));

        var refreshed = await GetAccessTokenAsync(Alice);

        Assert.NotEqual("at-alice", refreshed);
        var request = Assert.Single(_auth.Server.Requests);
        Assert.Equal("rt-alice", request.Form["refresh_token"]);
        var stored = (await _auth.Engine.Store.ReadAsync(AuthModuleHarness.App, Alice)).Values;
        Assert.NotEqual("\"rt-alice\"", stored["authRefreshToken"]);
    }

    [Fact]
    public async Task ReleaseTokens_ReturnsTheRefreshTokenOnce_AndLeavesNoToken()
    {
        await AcceptAsync(Alice, "at-alice", "rt-alice");

        var released = await Scoped.CallModuleAsync(AuthModuleHarness.App, Alice, "Auth_Module", "releaseTokens", "[]");

        Assert.True(released.Ok, released.Error);
        Assert.Equal("rt-alice", JsonNode.Parse(released.ValueJson!)!["refreshToken"]!.GetValue<string>());
        var stored = (await _auth.Engine.Store.ReadAsync(AuthModuleHarness.App, Alice)).Values;
        Assert.DoesNotContain(stored.Keys, k => k.Contains("Token", StringComparison.Ordinal));
        Assert.True(await NeedsSignInAsync(Alice));
        var again = await Scoped.CallModuleAsync(AuthModuleHarness.App, Alice, "Auth_Module", "releaseTokens", "[]");
        Assert.Null(JsonNode.Parse(again.ValueJson!)!["refreshToken"]);
    }

    [Fact]
    public async Task AcceptTokens_WithoutAccessToken_FailsClearly_AndStoresNothing()
    {
        var result = await Scoped.CallModuleAsync(AuthModuleHarness.App, Alice, "Auth_Module", "acceptTokens", """[{ "token_type": "Bearer" }]""");

        Assert.False(result.Ok);
        Assert.Contains("acceptTokens needs a token response with an access_token", result.Error);
        Assert.Empty((await _auth.Engine.Store.ReadAsync(AuthModuleHarness.App, Alice)).Values);
    }

    [Fact]
    public async Task ScopedRun_SessionOfAnotherScope_IsUnknown()
    {
        var bobSession = (await _auth.Engine.Runtime.LoadPageAsync(AuthModuleHarness.App, "Home", Bob)).SessionId;

        Assert.Null(await Scoped.RunAsync(AuthModuleHarness.App, Alice, bobSession, "Auth_Module.needsSignIn", "[]"));
        Assert.NotNull(await Scoped.RunAsync(AuthModuleHarness.App, Bob, bobSession, "Auth_Module.needsSignIn", "[]"));
    }

    private async Task AcceptAsync(string scope, string accessToken, string refreshToken)
    {
        var response = new JsonObject { ["access_token"] = accessToken, ["refresh_token"] = refreshToken, ["token_type"] = "Bearer", ["expires_in"] = 3600 };
        var result = await Scoped.CallModuleAsync(AuthModuleHarness.App, scope, "Auth_Module", "acceptTokens", new JsonArray(response).ToJsonString());
        Assert.True(result.Ok, result.Error);
    }

    private async Task<RunResult> RunAsync(string scope, string action)
    {
        var load = await _auth.Engine.Runtime.LoadPageAsync(AuthModuleHarness.App, "Home", scope);
        return await _auth.Engine.RunAsync(AuthModuleHarness.App, load.SessionId, action);
    }

    private async Task<string> GetAccessTokenAsync(string scope)
    {
        var run = await RunAsync(scope, "Auth_Module.getAccessToken");
        Assert.True(run.Error is null, run.Error?.Message);
        return run.Result!.GetValue<string>();
    }

    private async Task<bool> NeedsSignInAsync(string scope)
    {
        var result = await Scoped.CallModuleAsync(AuthModuleHarness.App, scope, "Auth_Module", "needsSignIn", "[]");
        Assert.True(result.Ok, result.Error);
        return result.ValueJson == "true";
    }

    public async Task DisposeAsync() => await _auth.DisposeAsync();
}
