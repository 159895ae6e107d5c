using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>SPEC §4 "Rotation": the new refresh token is persisted before the access token is returned; kept when none comes; invalid_grant re-reads the store.</summary>
public sealed class RotationTests
{
    [Fact]
    public async Task Refresh_ServerRotates_NewRefreshTokenStoredWhenTheCallReturns()
    {
        var clock = TestClock.Create();
        await using var app = await AuthApp.StartAsync(clock, s => s.AccessTokenLifetime = TimeSpan.FromMinutes(10));
        var load = await app.LoadAsync();
        var rt1 = await app.StoredStringAsync("authRefreshToken");

        app.Advance(TimeSpan.FromMinutes(10)); // sessions idle out after 30 min
        var run = await app.RunAsync(load.SessionId, "Auth_Module.getAccessToken");

        Assert.Null(run.Error);
        var rt2 = await app.StoredStringAsync("authRefreshToken");
        Assert.NotNull(rt2);
        Assert.NotEqual(rt1, rt2);
        Assert.Equal(rt1, app.Server.TokenRequestLog[^1].Form["refresh_token"]);
        Assert.True(app.Server.IsAccessTokenValid(await app.StoredStringAsync("authAccessToken")));
        // The stored refresh token is the live one: the next refresh with it succeeds.
        app.Advance(TimeSpan.FromMinutes(10)); // sessions idle out after 30 min
        Assert.Null((await app.RunAsync(load.SessionId, "Auth_Module.getAccessToken")).Error);
        Assert.Equal(rt2, app.Server.TokenRequestLog[^1].Form["refresh_token"]);
        Assert.Equal(0, app.Server.ReuseRejections);
    }

    [Fact]
    public async Task Refresh_ServerReturnsNoRefreshToken_OldOneKept()
    {
        var clock = TestClock.Create();
        await using var app = await AuthApp.StartAsync(clock, s => { s.RotateRefreshTokens = false; s.AccessTokenLifetime = TimeSpan.FromMinutes(10); });
        var load = await app.LoadAsync();
        var rt1 = await app.StoredStringAsync("authRefreshToken");

        app.Advance(TimeSpan.FromMinutes(10)); // sessions idle out after 30 min
        Assert.Null((await app.RunAsync(load.SessionId, "Auth_Module.getAccessToken")).Error);

        Assert.Equal(1, app.Server.TokenRequestsFor("refresh_token"));
        Assert.Equal(rt1, await app.StoredStringAsync("authRefreshToken"));
    }

    [Fact]
    public async Task Refresh_InvalidGrantAfterAnotherReplicaRotated_RereadsStoreAndUsesItsToken()
    {
        var clock = TestClock.Create();
        await using var app = await AuthApp.StartAsync(clock, s => s.AccessTokenLifetime = TimeSpan.FromMinutes(10));
        var load = await app.LoadAsync();
        var rt1 = (await app.StoredStringAsync("authRefreshToken"))!;
        app.Advance(TimeSpan.FromMinutes(10)); // sessions idle out after 30 min

        // Another replica redeems rt1 (so ours will be rejected) ...
        using var http = new HttpClient();
        var answer = await http.PostAsync(app.Server.TokenUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = rt1, ["client_id"] = app.Server.ClientId, ["client_secret"] = app.Server.ClientSecret,
        }));
        var replica = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        var rt2 = replica["refresh_token"]!.GetValue<string>();
        // ... and writes its result to the shared store while our refresh (started from rt1) is at the token server.
        app.Server.TokenDelay = TimeSpan.FromMilliseconds(400);
        var ours = app.RunAsync(load.SessionId, "Auth_Module.refreshAccessToken");
        await Task.Delay(150);
        await app.Engine.Store.ApplyAsync(AuthApp.App, AuthApp.Scope, [
            StoreWrite.Set("authRefreshToken", $"\"{rt2}\""),
            StoreWrite.Set("authAccessToken", $"\"{replica["access_token"]!.GetValue<string>()}\""),
        ]);
        var run = await ours;
        app.Server.TokenDelay = TimeSpan.Zero;

        Assert.True(run.Error is null, run.Error?.Message);
        var grants = app.Server.TokenRequestLog.Where(r => r.GrantType == "refresh_token").Select(r => r.Form["refresh_token"]).ToArray();
        Assert.Equal([rt1, rt1, rt2], grants); // the replica, ours (rejected), ours again with the re-read token
        Assert.Equal(1, app.Server.ReuseRejections);
        var rt3 = await app.StoredStringAsync("authRefreshToken");
        Assert.NotEqual(rt2, rt3);
        Assert.True(app.Server.IsAccessTokenValid(run.Result!.GetValue<string>()));
        Assert.Equal(0, app.Server.TokenRequestsFor("client_credentials") - 1); // never fell back to a new credential
    }
}
