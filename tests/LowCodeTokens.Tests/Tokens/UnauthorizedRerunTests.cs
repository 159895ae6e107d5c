namespace LowCodeTokens.Tests.Tokens;

/// <summary>SPEC §4 "401": one call of the query's onUnauthorized function, one re-run with re-evaluated bindings, never a loop.</summary>
public sealed class UnauthorizedRerunTests
{
    [Fact]
    public async Task PageLoad_TokenRevokedWhileItLooksValid_OneForcedRefreshOneRerunSuccess()
    {
        await using var app = await AuthApp.StartAsync();
        Assert.True((await app.LoadAsync()).Actions.All(a => a.Status == "success"));
        var before = await app.StoredStringAsync("authAccessToken");
        app.Server.RevokeAccessTokens(); // the module still sees a fresh token; the API rejects it

        var load = await app.LoadAsync();

        var reports = load.Actions.Where(a => a.Name == "getusers_API").ToList();
        Assert.Equal(["error", "success"], reports.Select(r => r.Status));
        Assert.Equal(401, reports[0].ResponseMeta!["statusCode"]!.GetValue<int>());
        Assert.Equal(3, load.Widgets["Table1"]!["tableData"]!.AsArray().Count);
        Assert.Equal(2, app.Server.TokenRequests); // the first token, then one forced refresh
        Assert.Equal(1, app.Server.TokenRequestsFor("refresh_token"));
        Assert.Equal(3, app.Server.ApiRequests); // first load, the 401, the re-run
        var after = await app.StoredStringAsync("authAccessToken");
        Assert.NotEqual(before, after);
        Assert.True(app.Server.IsAccessTokenValid(after));
    }

    [Fact]
    public async Task PageLoad_RerunAnswered401Again_QueryFailsWithoutLoop()
    {
        await using var app = await AuthApp.StartAsync();
        Assert.True((await app.LoadAsync()).Actions.All(a => a.Status == "success"));
        app.Server.ForceApiUnauthorized(2);

        var load = await app.LoadAsync();

        var reports = load.Actions.Where(a => a.Name == "getusers_API").ToList();
        Assert.Equal(["error", "error"], reports.Select(r => r.Status));
        Assert.Contains("401", reports[^1].Error);
        Assert.Null(load.Widgets["Table1"]!["tableData"]);
        Assert.Equal(2, app.Server.TokenRequests);
        Assert.Equal(1, app.Server.TokenRequestsFor("refresh_token"));
        Assert.Equal(3, app.Server.ApiRequests);
    }

    [Fact]
    public async Task Run_QueryRevokedToken_RerunCarriesTheNewToken()
    {
        await using var app = await AuthApp.StartAsync();
        var load = await app.LoadAsync();
        app.Server.RevokeAccessTokens();

        var run = await app.RunAsync(load.SessionId, "getusers_API");

        Assert.Null(run.Error);
        Assert.Equal(2, app.Server.TokenRequests);
        Assert.Equal(3, app.Server.ApiRequests);
    }
}
