using System.Diagnostics;
using LowCodeTokens.Engine;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Tests.EngineTests;
using LowCodeTokens.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LowCodeTokens.Tests.Security;

/// <summary>
/// The runaway scripts of the script-engine issue, one test each: each fails its invocation with a clear error within the
/// time limit + 0.5 s, the host process stays up (this test process is the host: reaching the assertions proves it), another
/// app's invocation made while the attack runs succeeds, and the attacking app answers its next call.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class SandboxLimitTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Failsafe = TimeSpan.FromSeconds(30);
    // A neighbour's call is a few hundred microseconds; a second covers a GC pause on a busy 2-core machine and is still
    // shorter than the attacks that hold a core for the whole limit, so it cannot have waited for them.
    private static readonly TimeSpan NeighbourBound = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task InfiniteLoop_BeforeAnAwait_FailsWithTimeout()
    {
        var error = await AttackAsync("attack() { while (true) {} }");

        Assert.Equal(ScriptErrorKind.Timeout, error.Kind);
        Assert.Contains("time limit of 1000 ms exceeded", error.Message);
    }

    [Fact]
    public async Task InfiniteLoop_AfterAnAwait_FailsWithTimeout()
    {
        var error = await AttackAsync("async attack() { await new Promise(r => setTimeout(r, 10)); while (true) {} }");

        Assert.Equal(ScriptErrorKind.Timeout, error.Kind);
        Assert.Contains("time limit of 1000 ms exceeded", error.Message);
    }

    [Fact]
    public async Task UnboundedRecursion_FailsWithCallDepthError()
    {
        var error = await AttackAsync("attack() { function f() { f(); } f(); }");

        Assert.Equal(ScriptErrorKind.Script, error.Kind);
        Assert.Equal("RangeError", error.Name);
        Assert.Contains("Maximum call depth of 1000 exceeded", error.Message);
    }

    [Fact]
    public async Task JsonStringify_OfAValueNested100000Deep_FailsWithRangeError()
    {
        // Without the engine's stack guard this is a native StackOverflow, which no catch survives: the process dies.
        var error = await AttackAsync("attack() { let v = null; for (let i = 0; i < 100000; i++) v = { v }; return JSON.stringify(v).length; }");

        Assert.Equal(ScriptErrorKind.Script, error.Kind);
        Assert.Equal("RangeError", error.Name);
        Assert.Contains("Maximum call stack size exceeded", error.Message);
    }

    [Fact]
    public async Task HeapBomb_FailsWithMemoryError()
    {
        // Jint allocates ~200 MB/s on this machine, so at the default 256 MB the 1 s time limit would stop this bomb first
        // (also a clear error); a 32 MB limit makes it the memory limit that is proven.
        var error = await AttackAsync("attack() { const keep = []; while (true) keep.push(new Array(1e5).fill(keep.length + 0.5)); }",
            o => o.MemoryLimitMb = 32);

        Assert.Equal(ScriptErrorKind.Memory, error.Kind);
        Assert.Contains("memory limit of 32 MB exceeded", error.Message);
    }

    [Fact]
    public async Task StringRepeat2Pow28_FailsBeforeAllocating()
    {
        // Measured before the guard: 'x'.repeat(2**28) allocated 512 MB in one call, past every limit.
        var before = GC.GetTotalAllocatedBytes();

        var error = await AttackAsync("attack() { return 'x'.repeat(2 ** 28).length; }");

        Assert.Equal(ScriptErrorKind.Script, error.Kind);
        Assert.Equal("RangeError", error.Name);
        Assert.Contains("String.prototype.repeat: the result would be 268435456 characters", error.Message);
        var allocated = GC.GetTotalAllocatedBytes() - before;
        output.WriteLine($"allocated {allocated / (1024 * 1024)} MB in the whole test");
        Assert.True(allocated < 64L * 1024 * 1024, $"the refused repeat still allocated its result ({allocated / (1024 * 1024)} MB)");
    }

    [Fact]
    public async Task ArrayOfLength2Pow31Minus1_Filled_FailsAtOnce()
    {
        var error = await AttackAsync("attack() { return new Array(2 ** 31 - 1).fill(0).length; }");

        Assert.Equal(ScriptErrorKind.Memory, error.Kind);
        Assert.Contains("Arrays may hold at most 4,194,304 elements", error.Message);
        Assert.Contains("2147483647", error.Message);
    }

    [Fact]
    public async Task CatastrophicRegex_FailsWithTimeout()
    {
        var error = await AttackAsync("attack() { return /^(a+)+$/.test('a'.repeat(40) + 'b'); }");

        Assert.Equal(ScriptErrorKind.Timeout, error.Kind);
        Assert.Contains("regular expression", error.Message);
    }

    [Fact]
    public async Task PromiseThatNeverSettles_FailsAtOnce()
    {
        var error = await AttackAsync("async attack() { await new Promise(() => {}); return 'unreachable'; }");

        Assert.Equal(ScriptErrorKind.Script, error.Kind);
        Assert.Contains("can never settle", error.Message);
    }

    [Fact]
    public async Task Returning10MillionElements_FailsAtOnceWithTheArraySizeLimit()
    {
        // A 10 M-element array is past Jint's dense storage (under 10,000,000 slots): it would be a dictionary built in one
        // native call (1.06 GB and 4-5 s for this line when arrays of 2^24 were allowed), so it is refused before it exists.
        var error = await AttackAsync("attack() { return new Array(1e7).fill(0); }");

        Assert.Equal(ScriptErrorKind.Memory, error.Kind);
        Assert.Contains("Arrays may hold at most 4,194,304 elements", error.Message);
        Assert.Contains("10000000", error.Message);
    }

    [Fact]
    public async Task ReturningMoreThanTheResultCap_FailsWithAClearError()
    {
        // 120 strings of 100,000 characters: 12 MB of JSON, over the 10 MB result cap (Scripting:MaxValueBytes). Jint 4.18 builds
        // the whole document (in pooled buffers: the first large result of a process allocates them, ~0.5 s of this test)
        // before the capped writer sees it, and each element costs its serializer ~1 µs and ~180 bytes: a far larger result,
        // or one of many small elements, meets the memory or time limit first (one million 100-character strings: 278 MB
        // allocated, a memory error after ~0.9 s).
        var error = await AttackAsync("attack() { return new Array(120).fill('x'.repeat(100000)); }");

        Assert.Equal(ScriptErrorKind.Script, error.Kind);
        Assert.Contains("Scripting:MaxValueBytes", error.Message);
        Assert.Contains("return less data", error.Message);
    }

    /// <summary>
    /// Runs <c>JSObject1.attack</c> (defined by <paramref name="attack"/>) in one app, and a call of another app of the same
    /// engine while it runs; asserts what every attack must meet, and returns the attack's error.
    /// </summary>
    private async Task<ScriptError> AttackAsync(string attack, Action<ScriptingOptions>? configure = null)
    {
        await using var engine = EngineHarness.Create(o =>
        {
            o.Scripting.TimeLimit = Limit;
            configure?.Invoke(o.Scripting);
        });
        var attacker = await ScriptApp.StartAsync($"export default {{ ok: () => 'fine', {attack} }}", engine: engine, app: "attacker").WaitAsync(Failsafe);
        var neighbour = await ScriptApp.StartAsync("export default { hi: () => 'hi' }", engine: engine, app: "neighbour").WaitAsync(Failsafe);
        // Both sessions open and warm, the host quiet: only the attack is timed.
        Assert.Equal("\"fine\"", await attacker.ValueAsync("JSObject1.ok").WaitAsync(Failsafe));
        Assert.Equal("\"hi\"", await neighbour.ValueAsync("JSObject1.hi").WaitAsync(Failsafe));
        output.WriteLine($"waited {(await ProcessCpu.WaitUntilQuietAsync(TimeSpan.FromSeconds(10)).WaitAsync(Failsafe)).TotalMilliseconds:0} ms for a quiet host");

        // Started on the pool: a synchronous attack runs in the caller's thread until its first await.
        var watch = Stopwatch.StartNew();
        var attacking = Task.Run(async () =>
        {
            var r = await attacker.RunAsync("JSObject1.attack");
            return (Result: r, Elapsed: watch.Elapsed);
        });
        await Task.WhenAny(attacking, Task.Delay(20)).WaitAsync(Failsafe);

        var neighbourWatch = Stopwatch.StartNew();
        var hi = await neighbour.RunAsync("JSObject1.hi").WaitAsync(Failsafe);
        var neighbourElapsed = neighbourWatch.Elapsed;
        var attackRunning = !attacking.IsCompleted;
        var (result, elapsed) = await attacking.WaitAsync(Failsafe);

        output.WriteLine($"attack: {elapsed.TotalMilliseconds:0} ms; neighbour: {neighbourElapsed.TotalMilliseconds:0} ms (attack still running: {attackRunning})");
        output.WriteLine($"error: {result.Error?.Kind} {result.Error?.Name}: {result.Error?.Message}");
        Assert.True(result.Error is not null, $"the attack succeeded: {result.Result?.ToJsonString()}");
        Assert.True(elapsed < Limit + Slack, $"the attack took {elapsed.TotalMilliseconds:0} ms for a {Limit.TotalMilliseconds:0} ms limit");
        Assert.Null(hi.Error);
        Assert.Equal("\"hi\"", hi.Result!.ToJsonString());
        Assert.True(neighbourElapsed < NeighbourBound, $"the neighbour's call took {neighbourElapsed.TotalMilliseconds:0} ms");
        // The attacking app answers again (a faulted session starts over with fresh engines).
        Assert.Equal("\"fine\"", await attacker.ValueAsync("JSObject1.ok").WaitAsync(Failsafe));
        return result.Error!;
    }
}
