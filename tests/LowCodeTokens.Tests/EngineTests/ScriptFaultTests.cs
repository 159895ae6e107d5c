using System.Diagnostics;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.EngineTests;

/// <summary>Runaway scripts fail only what they must, and the next call works.</summary>
[Collection(TimingCollection.Name)]
public sealed class ScriptFaultTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData("spin() { while (true) {} }")]
    [InlineData("async spin() { await new Promise(r => setTimeout(r, 10)); while (true) {} }")]
    public async Task InfiniteLoop_BeforeOrAfterAwait_TimesOutWithinLimit_WhileAnotherAppRuns(string spin)
    {
        var engine = EngineHarness.Create(o => o.Scripting.TimeLimit = Limit);
        await using var looping = await ScriptApp.StartAsync($"export default {{ {spin}, ok: () => 'fine' }}", engine: engine, app: "looping");

        Assert.Equal("\"fine\"", await looping.ValueAsync("JSObject1.ok")); // session open and warm: only the loop is timed
        var watch = Stopwatch.StartNew();
        var elapsed = TimeSpan.Zero;
        var spinning = looping.RunAsync("JSObject1.spin").ContinueWith(t => { elapsed = watch.Elapsed; return t.Result; }, TaskScheduler.Default);
        await Task.Delay(100);
        // Another app in the same engine keeps working while the loop spins.
        await engine.ImportAppAsync("""{ "name": "neighbour", "pages": [ { "name": "Home", "jsObjects": [ { "name": "JSObject1", "code": "export default { hi: () => 'hi' }" } ] } ] }""");
        var neighbour = await engine.Runtime.LoadPageAsync("neighbour", "Home", "app");
        var neighbourRun = await engine.RunAsync("neighbour", neighbour.SessionId, "JSObject1.hi");
        Assert.Null(neighbourRun.Error);
        Assert.Equal("\"hi\"", neighbourRun.Result!.ToJsonString());

        var result = await spinning;
        Assert.NotNull(result.Error);
        Assert.Equal(ScriptErrorKind.Timeout, result.Error!.Kind);
        Assert.Contains("time limit", result.Error.Message);
        Assert.True(elapsed < Limit + TimeSpan.FromMilliseconds(500), $"took {elapsed.TotalMilliseconds:0} ms for a {Limit.TotalMilliseconds} ms limit");

        // The app works again on its next call.
        Assert.Equal("\"fine\"", await looping.ValueAsync("JSObject1.ok"));
    }

    [Fact]
    public async Task CallBreakingItsTimeLimit_FailsConcurrentCallsOfItsSessionRetriably_AndTheNextCallStartsFresh()
    {
        var engine = EngineHarness.Create(o => o.Scripting.TimeLimit = Limit);
        await using var app = await ScriptApp.StartAsync("""
            export default {
              count: 0,
              inc() { this.count += 1; return this.count; },
              async slow() { await new Promise(r => setTimeout(r, 3000)); return 'finished'; },
              spin() { while (true) {} },
            }
            """, engine: engine);
        Assert.Equal("1", await app.ValueAsync("JSObject1.inc"));
        var slow = app.RunAsync("JSObject1.slow");
        await Task.Delay(100);

        var spun = await app.RunAsync("JSObject1.spin");
        Assert.Equal(ScriptErrorKind.Timeout, spun.Error!.Kind);

        var failed = await slow.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(failed.Error);
        Assert.Equal(ScriptErrorKind.Crashed, failed.Error!.Kind);
        Assert.True(failed.Error.IsRetriable);
        Assert.Contains("retry", failed.Error.Message);

        // The session's scripts were discarded: the next call works, with the object's variables reset.
        Assert.Equal("1", await app.ValueAsync("JSObject1.inc"));
    }
}
