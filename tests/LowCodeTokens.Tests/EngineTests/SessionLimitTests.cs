using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Tests.Infrastructure;
using LowCodeTokens.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.EngineTests;

public sealed class SessionLimitTests
{
    [Fact]
    public async Task LoadPage_BeyondMaxSessionsPerApp_ClosesTheLeastRecentlyUsed()
    {
        // Any session not in a request may be closed here (EvictableAfter zero), so that least-recently-used order decides.
        await using var app = await ScriptApp.StartAsync("export default { hi: () => 'hi' }",
            engine: EngineHarness.Create(o => { o.Sessions.MaxPerApp = 2; o.Sessions.EvictableAfter = TimeSpan.Zero; }));
        var second = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");
        Assert.Equal("\"hi\"", await app.ValueAsync("JSObject1.hi")); // the first session is now more recently used than the second
        var third = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");

        Assert.Null(await app.Engine.Runtime.RunAsync(app.App, second.SessionId, "JSObject1.hi", "[]"));
        Assert.NotNull(await app.Engine.Runtime.RunAsync(app.App, app.SessionId, "JSObject1.hi", "[]"));
        Assert.NotNull(await app.Engine.Runtime.RunAsync(app.App, third.SessionId, "JSObject1.hi", "[]"));
    }

    [Fact]
    public async Task ConcurrentPageLoads_BeyondMaxSessionsPerApp_NeverCloseABusySessionAndRefuseWhenAllAreBusy()
    {
        await using var app = await ScriptApp.StartAsync("export default { async slow() { await new Promise(r => setTimeout(r, 50)); return 1; } }",
            engine: EngineHarness.Create(o => { o.Sessions.MaxPerApp = 2; o.Sessions.EvictableAfter = TimeSpan.Zero; }));
        await app.Engine.ImportAppAsync("""
            { "name": "busy", "pages": [ { "name": "Home", "jsObjects": [ { "name": "JSObject1",
              "code": "export default { async slow() { await new Promise(r => setTimeout(r, 50)); return 1; } }", "runOnPageLoad": ["slow"] } ] } ] }
            """);
        // A session in the middle of its page load is never the one the cap closes: with every session busy, the loads the
        // cap has no room for are refused (with a time to retry) instead, and every admitted load completes.
        var loads = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            try
            {
                return (Load: (PageLoadResult?)await app.Engine.Runtime.LoadPageAsync("busy", "Home", "app"), Refused: (TooManySessionsException?)null);
            }
            catch (TooManySessionsException e)
            {
                return (Load: (PageLoadResult?)null, Refused: (TooManySessionsException?)e);
            }
        }));
        // How many are admitted depends on timing (a load that finished may be closed for a later one), never fewer than the cap.
        var admitted = loads.Where(l => l.Load is not null).ToList();
        Assert.InRange(admitted.Count, 2, 10);
        Assert.All(admitted, l => Assert.Equal("success", Assert.Single(l.Load!.Actions).Status));
        Assert.All(loads.Where(l => l.Load is null), l => Assert.True(l.Refused!.RetryAfter >= TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task LoadPage_AtMaxSessionsPerApp_ClosesOnlyASessionIdleForEvictableAfter()
    {
        var clock = TestClock.Create();
        await using var app = await ScriptApp.StartAsync("export default { hi: () => 'hi' }",
            engine: EngineHarness.Create(o => { o.Sessions.MaxPerApp = 2; o.Sessions.EvictableAfter = TimeSpan.FromMinutes(5); }, clock));
        var second = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");

        // Both sessions were used within EvictableAfter: the third load is refused, told to come back when the older may close.
        var refused = await Assert.ThrowsAsync<TooManySessionsException>(() => app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app"));
        Assert.Equal(TimeSpan.FromMinutes(5), refused.RetryAfter);

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("\"hi\"", await app.ValueAsync("JSObject1.hi")); // the first session is in use again
        clock.Advance(TimeSpan.FromMinutes(1));
        var third = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");

        Assert.Null(await app.Engine.Runtime.RunAsync(app.App, second.SessionId, "JSObject1.hi", "[]"));
        Assert.NotNull(await app.Engine.Runtime.RunAsync(app.App, app.SessionId, "JSObject1.hi", "[]"));
        Assert.NotNull(await app.Engine.Runtime.RunAsync(app.App, third.SessionId, "JSObject1.hi", "[]"));
    }

    [Fact]
    public async Task SignInModuleCalls_AtMaxSessionsPerApp_LeaveThePageSessionsOpen()
    {
        // Any page session not in a request may be closed here: a module call that counted against the cap would close one.
        await using var auth = await AuthModuleHarness.StartAsync(new JsonObject { ["grantType"] = "authorization_code" },
            o => { o.Sessions.MaxPerApp = 2; o.Sessions.EvictableAfter = TimeSpan.Zero; });
        var runtime = auth.Engine.Runtime;
        var pages = new[]
        {
            await runtime.LoadPageAsync(AuthModuleHarness.App, "Home", AuthModuleHarness.Scope),
            await runtime.LoadPageAsync(AuthModuleHarness.App, "Home", AuthModuleHarness.Scope),
        };
        var scoped = auth.Engine.Services.GetRequiredService<IScopedRuntime>();

        // What sign-in, the viewer and sign-out call, in a user's scope.
        var tokens = """[{ "access_token": "at-user", "refresh_token": "rt-user", "token_type": "Bearer", "expires_in": 3600 }]""";
        Assert.True((await scoped.CallModuleAsync(AuthModuleHarness.App, "user:cap", "Auth_Module", "acceptTokens", tokens)).Ok);
        Assert.Equal("false", (await scoped.CallModuleAsync(AuthModuleHarness.App, "user:cap", "Auth_Module", "needsSignIn", "[]")).ValueJson);
        Assert.True((await scoped.CallModuleAsync(AuthModuleHarness.App, "user:cap", "Auth_Module", "releaseTokens", "[]")).Ok);

        foreach (var page in pages)
            Assert.NotNull(await runtime.RunAsync(AuthModuleHarness.App, page.SessionId, "Auth_Module.needsSignIn", "[]"));
    }
}
