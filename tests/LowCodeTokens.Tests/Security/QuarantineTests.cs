using System.Diagnostics;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Tests.EngineTests;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Security;

/// <summary>An app that brings its worker down 3 times within 5 minutes fails fast for 5 minutes; other apps are unaffected.</summary>
public sealed class QuarantineTests
{
    [Fact]
    public async Task AppTimingOutThreeTimes_IsQuarantined_FailsFast_OthersRun_AndItLiftsAfterTheDuration()
    {
        var clock = TestClock.Create();
        var engine = EngineHarness.Create(o =>
        {
            o.Scripting.TimeLimit = TimeSpan.FromMilliseconds(300);
            o.Scripting.QuarantineStrikes = 3;
            o.Scripting.QuarantineWindow = TimeSpan.FromMinutes(5);
            o.Scripting.QuarantineDuration = TimeSpan.FromMinutes(5);
        }, clock);
        await using var looping = await ScriptApp.StartAsync("export default { spin() { while (true) {} }, ok: () => 'fine' }", engine: engine, app: "looping");
        var neighbour = await MemoryLimitTests.NeighbourAsync(engine);

        for (int i = 0; i < 3; i++)
        {
            var result = await looping.RunAsync("JSObject1.spin").WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(ScriptErrorKind.Timeout, result.Error!.Kind);
            clock.Advance(TimeSpan.FromSeconds(30));
        }

        var watch = Stopwatch.StartNew();
        var refused = await looping.RunAsync("JSObject1.ok");
        watch.Stop();
        Assert.Equal(ScriptErrorKind.Quarantined, refused.Error!.Kind);
        Assert.False(refused.Error.IsRetriable);
        Assert.Contains("quarantined until 2026-01-01 12:06:00Z", refused.Error.Message);
        Assert.Contains("3 times within 5 minutes (timeout, timeout, timeout)", refused.Error.Message);
        Assert.True(watch.ElapsedMilliseconds < 200, $"took {watch.ElapsedMilliseconds} ms");
        Assert.Equal("\"hi\"", await neighbour.ValueAsync("JSObject1.hi"));

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("\"fine\"", await looping.ValueAsync("JSObject1.ok"));
    }

    [Fact]
    public async Task IncidentsSpreadBeyondTheWindow_DoNotQuarantine()
    {
        var clock = TestClock.Create();
        var engine = EngineHarness.Create(o => o.Scripting.TimeLimit = TimeSpan.FromMilliseconds(300), clock);
        await using var looping = await ScriptApp.StartAsync("export default { spin() { while (true) {} }, ok: () => 'fine' }", engine: engine, app: "looping");

        for (int i = 0; i < 4; i++)
        {
            var result = await looping.RunAsync("JSObject1.spin").WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(ScriptErrorKind.Timeout, result.Error!.Kind);
            clock.Advance(TimeSpan.FromMinutes(3)); // never 3 within 5 minutes
        }
        Assert.Equal("\"fine\"", await looping.ValueAsync("JSObject1.ok"));
    }
}
