using System.Diagnostics;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace LowCodeTokens.Tests.EngineTests;

/// <summary>
/// Nothing a script starts outlives its invocation (the script-engine issue, one test each): it runs inside the
/// invocation's limits or not at all; after the call returns the host burns no CPU for the app, the app's next call
/// answers, and a call of the same session made while the attack runs is unaffected.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class InvocationLifetimeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Failsafe = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    // Anything left spinning for the app would burn a whole core: ~1 s of CPU per 1 s window. The idle test host itself
    // uses a little (timers, thread-pool housekeeping: 10-80 ms measured, the JIT left out); 0.3 s leaves room for that on
    // a busy 2-core machine and still fails on work that takes a third of a core.
    private static readonly TimeSpan IdleCpuBound = TimeSpan.FromMilliseconds(300);
    // A concurrent call is a few milliseconds; half a second covers a loaded machine and is shorter than the attacks it overlaps.
    private static readonly TimeSpan ConcurrentBound = TimeSpan.FromMilliseconds(500);

    private const string Code = """
        export default {
          ticks: 0,
          ok: () => 'fine',
          count() { return this.ticks; },
          async countLater() { await new Promise(r => setTimeout(r, 100)); return this.ticks; },
          async chain() {
            const tick = () => { this.ticks++; setTimeout(tick, 0); };
            tick();
            await new Promise(r => setTimeout(r, 1000));
            return this.ticks;
          },
          registry() {
            const registry = new FinalizationRegistry(() => { while (true) {} });
            for (let i = 0; i < 1000; i++) registry.register({ i }, i);
            return 'registered';
          },
          weakRef() {
            const ref = new WeakRef({ big: 'x'.repeat(1000) });
            setTimeout(function poll() { while (ref.deref() === undefined) {} }, 0);
            return 'watching';
          },
          fireAndForget() { q.run(); return 'started'; },
          status() { return [q.responseMeta.statusCode, q.isLoading]; },
        }
        """;

    [Fact]
    public async Task SetTimeoutChain_ThatReArmsItself_RunsOnlyWhileItsInvocationRuns()
    {
        await using var app = await ScriptApp.StartAsync(Code).WaitAsync(Failsafe);

        var (chain, elapsed) = await RunBesideAConcurrentCallAsync(app, "JSObject1.chain");

        Assert.Null(chain.Error);
        var ticks = chain.Result!.GetValue<int>();
        Assert.True(ticks > 1, $"the chain ran {ticks} times inside its invocation");
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"the call took {elapsed.TotalMilliseconds:0} ms");
        var afterReturn = int.Parse(await app.ValueAsync("JSObject1.count").WaitAsync(Failsafe));
        Assert.True(afterReturn >= ticks);
        await AssertTheAppIsIdleAsync(app);
        // The chain was dropped with its invocation: nothing ticked since the call returned, not even while a later call of
        // the session drives its engine (and its timers) for 100 ms.
        Assert.Equal(afterReturn.ToString(), await app.ValueAsync("JSObject1.countLater").WaitAsync(Failsafe));
    }

    [Fact]
    public async Task FinalizationRegistryCallback_ThatSpins_NeverRuns()
    {
        await using var app = await ScriptApp.StartAsync(Code).WaitAsync(Failsafe);

        var (result, _) = await RunBesideAConcurrentCallAsync(app, "JSObject1.registry");

        Assert.NotNull(result.Error);
        // Not in engines (removed or shadowed by undefined): nothing can register a callback.
        Assert.Matches("FinalizationRegistry is not (defined|a constructor)", result.Error!.Message);
        await AssertTheAppIsIdleAsync(app);
    }

    [Fact]
    public async Task WeakRefCallback_ThatSpins_NeverRuns()
    {
        await using var app = await ScriptApp.StartAsync(Code).WaitAsync(Failsafe);

        var (result, _) = await RunBesideAConcurrentCallAsync(app, "JSObject1.weakRef");

        Assert.NotNull(result.Error);
        // Not in engines (removed or shadowed by undefined): nothing can register a callback.
        Assert.Matches("WeakRef is not (defined|a constructor)", result.Error!.Message);
        await AssertTheAppIsIdleAsync(app);
    }

    [Fact]
    public async Task RejectedPromiseNobodyAwaits_SettlesInsideItsInvocation()
    {
        await using var server = await TestApiServer.StartAsync().WaitAsync(Failsafe);
        server.Map("GET", "/fail", async context =>
        {
            await Task.Delay(1000, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync("down", context.RequestAborted);
        });
        await using var app = await ScriptApp.StartAsync(Code, queriesJson: """[ { "name": "q", "datasource": "api", "url": "/fail" } ]""",
            datasourceBaseUrl: server.Url("")).WaitAsync(Failsafe);

        var (result, elapsed) = await RunBesideAConcurrentCallAsync(app, "JSObject1.fireAndForget");

        // The call returned once the query it started had failed (the host work it left pending is part of it), not before.
        Assert.Null(result.Error);
        Assert.Equal("\"started\"", result.Result!.ToJsonString());
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(900), $"returned after {elapsed.TotalMilliseconds:0} ms, before its query failed");
        Assert.Equal("[500,false]", await app.ValueAsync("JSObject1.status").WaitAsync(Failsafe));
        await AssertTheAppIsIdleAsync(app);
        Assert.Single(server.Requests);
    }

    /// <summary>
    /// Runs <paramref name="action"/> and, while it runs, a cheap call of the same session, which must succeed at once.
    /// </summary>
    private async Task<(RunResult Result, TimeSpan Elapsed)> RunBesideAConcurrentCallAsync(ScriptApp app, string action)
    {
        Assert.Equal("\"fine\"", await app.ValueAsync("JSObject1.ok").WaitAsync(Failsafe)); // the session warm: only the attack is timed
        output.WriteLine($"waited {(await ProcessCpu.WaitUntilQuietAsync(TimeSpan.FromSeconds(10)).WaitAsync(Failsafe)).TotalMilliseconds:0} ms for a quiet host");
        var watch = Stopwatch.StartNew();
        // Started on the pool: a synchronous script runs in the caller's thread until its first await.
        var running = Task.Run(async () =>
        {
            var r = await app.RunAsync(action);
            return (Result: r, Elapsed: watch.Elapsed);
        });
        await Task.WhenAny(running, Task.Delay(20)).WaitAsync(Failsafe);

        var concurrentWatch = Stopwatch.StartNew();
        var concurrent = await app.RunAsync("JSObject1.ok").WaitAsync(Failsafe);
        var concurrentElapsed = concurrentWatch.Elapsed;
        var overlapped = !running.IsCompleted;
        var (result, elapsed) = await running.WaitAsync(Failsafe);

        output.WriteLine($"{action}: {elapsed.TotalMilliseconds:0} ms, {result.Error?.Message ?? result.Result?.ToJsonString()}; " +
            $"concurrent call: {concurrentElapsed.TotalMilliseconds:0} ms (while it ran: {overlapped})");
        Assert.Null(concurrent.Error);
        Assert.Equal("\"fine\"", concurrent.Result!.ToJsonString());
        Assert.True(concurrentElapsed < ConcurrentBound, $"the concurrent call took {concurrentElapsed.TotalMilliseconds:0} ms");
        return (result, elapsed);
    }

    /// <summary>After the call returned: the process burns (almost) no CPU, and the app's next call answers.</summary>
    private async Task AssertTheAppIsIdleAsync(ScriptApp app)
    {
        // Collected, so that anything tied to the garbage collector (finalization callbacks) had its chance to run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        // Work left running for the app burns in every second; the runtime's recompiling of hot code is left out (see
        // ProcessCpu), and the quietest of up to five 1 s windows must be under the bound, so that a garbage collection or a
        // burst of housekeeping in one of them is not taken for the app's work.
        var quietest = TimeSpan.MaxValue;
        for (var window = 0; window < 5 && quietest >= IdleCpuBound; window++)
        {
            var used = await ProcessCpu.UsedWithoutJitOverAsync(Window).WaitAsync(Failsafe);
            output.WriteLine($"CPU over {Window.TotalMilliseconds:0} ms after the call (window {window + 1}): {used.TotalMilliseconds:0} ms");
            if (used < quietest) quietest = used;
        }

        Assert.True(quietest < IdleCpuBound, $"the host used at least {quietest.TotalMilliseconds:0} ms of CPU in every {Window.TotalMilliseconds:0} ms after the call returned");
        Assert.Equal("\"fine\"", await app.ValueAsync("JSObject1.ok").WaitAsync(Failsafe));
    }
}
