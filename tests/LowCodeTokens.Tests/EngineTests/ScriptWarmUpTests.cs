using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.EngineTests;

public sealed class ScriptWarmUpTests
{
    [Fact]
    public async Task WarmUp_RunsItsPageAndModule_ThroughTheEngine_AndStoresNothing()
    {
        await using var engine = EngineHarness.Create();
        // The page awaits the module's token function (token query, store writes, JWT decode), then the users query:
        // it returns how many users it mapped, so a silently skipped step would not give 2.
        var value = await ScriptWarmUp.RunAsync(engine.ScriptEngine).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("2", value);
        Assert.Empty(await engine.Catalog.ListAppsAsync());
    }
}
