using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.EngineTests;

public sealed class SessionLimitTests
{
    [Fact]
    public async Task LoadPage_BeyondMaxSessionsPerApp_ClosesTheLeastRecentlyUsed()
    {
        await using var app = await ScriptApp.StartAsync("export default { hi: () => 'hi' }", engine: EngineHarness.Create(o => o.Sessions.MaxPerApp = 2));
        var second = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");
        Assert.Equal("\"hi\"", await app.ValueAsync("JSObject1.hi")); // the first session is now more recently used than the second
        var third = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");

        Assert.Null(await app.Engine.Runtime.RunAsync(app.App, second.SessionId, "JSObject1.hi", "[]"));
        Assert.NotNull(await app.Engine.Runtime.RunAsync(app.App, app.SessionId, "JSObject1.hi", "[]"));
        Assert.NotNull(await app.Engine.Runtime.RunAsync(app.App, third.SessionId, "JSObject1.hi", "[]"));
    }

    [Fact]
    public async Task ConcurrentPageLoads_BeyondMaxSessionsPerApp_AllSucceed()
    {
        await using var app = await ScriptApp.StartAsync("export default { async slow() { await new Promise(r => setTimeout(r, 50)); return 1; } }",
            engine: EngineHarness.Create(o => o.Sessions.MaxPerApp = 2));
        await app.Engine.ImportAppAsync("""
            { "name": "busy", "pages": [ { "name": "Home", "jsObjects": [ { "name": "JSObject1",
              "code": "export default { async slow() { await new Promise(r => setTimeout(r, 50)); return 1; } }", "runOnPageLoad": ["slow"] } ] } ] }
            """);
        // A session in the middle of its page load is never the one the cap closes.
        var loads = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => app.Engine.Runtime.LoadPageAsync("busy", "Home", "app")));
        Assert.All(loads, l => Assert.Equal("success", Assert.Single(l.Actions).Status));
    }
}
