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
}
