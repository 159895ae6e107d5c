using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>The shipped modules/auth, published from its files, runs on the real engine.</summary>
public sealed class ShippedAuthModuleTests
{
    [Fact]
    public async Task PageLoad_ShippedModule_GetsTokenAndTableShowsUsers()
    {
        await using var app = await AuthApp.StartAsync();
        var load = await app.LoadAsync();
        Assert.True(load.Actions.All(a => a.Status == "success"), string.Join("; ", load.Actions.Select(a => $"{a.Name}: {a.Status} {a.Error}")));
        Assert.Equal(3, load.Widgets["Table1"]!["tableData"]!.AsArray().Count);
        Assert.Equal(1, app.Server.TokenRequests);
        Assert.Equal(1, app.Server.ApiRequests);
        Assert.True(app.Server.IsAccessTokenValid(await app.StoredStringAsync("authAccessToken")));
    }
}
