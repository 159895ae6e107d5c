using System.Diagnostics;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.EngineTests;

/// <summary>
/// Runaway scripts fail only what they must, and the next call works. The runaway scripts of the script-engine issue
/// (loops before and after an await, …) are timed one by one in Security/SandboxLimitTests.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ScriptFaultTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

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
