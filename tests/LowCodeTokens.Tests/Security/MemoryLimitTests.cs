using System.Diagnostics;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Tests.EngineTests;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Security;

/// <summary>
/// Memory bombs in one app fail that app's invocation with a clear error; another app keeps running. The timed bombs of the
/// script-engine issue (heap bomb, string repeat, huge arrays) are in <see cref="SandboxLimitTests"/>.
/// </summary>
public sealed class MemoryLimitTests
{
    internal const int LimitMb = 32;

    internal const string Bombs = """
        export default {
          big() { return new Array(4e6).fill(1.5).length; },
          arrayBuffers() { const keep = []; for (let i = 0; i < 40; i++) keep.push(new ArrayBuffer(100 * 1024 * 1024)); return keep.length; },
          binaryTypes() { return [typeof ArrayBuffer, typeof Uint8Array, typeof Float64Array, typeof DataView, typeof SharedArrayBuffer]; },
          ok: () => 'fine',
        }
        """;

    internal static EngineHarness Engine(TimeProvider? time = null) => EngineHarness.Create(o =>
    {
        o.Scripting.MemoryLimitMb = LimitMb;
        o.Scripting.TimeLimit = TimeSpan.FromSeconds(10); // the bombs must hit the memory limit, not the time limit, on a busy machine
        o.Scripting.InvocationDeadline = TimeSpan.FromSeconds(30);
    }, time);

    internal static async Task<ScriptApp> NeighbourAsync(EngineHarness engine) =>
        await ScriptApp.StartAsync("export default { hi: () => 'hi' }", engine: engine, app: "neighbour");

    [Fact]
    public async Task ArrayBufferBomb_IsRefused_BecauseBinaryBuffersAreNotInEngines()
    {
        // A binary buffer is allocated whole, in one call, before any limit check runs: engines do not offer them.
        var engine = Engine();
        await using var bomber = await ScriptApp.StartAsync(Bombs, engine: engine, app: "bomber");

        var message = await bomber.ErrorAsync("JSObject1.arrayBuffers");

        Assert.Matches("ArrayBuffer is not (defined|a constructor)", message);
        Assert.Equal("[\"undefined\",\"undefined\",\"undefined\",\"undefined\",\"undefined\"]", await bomber.ValueAsync("JSObject1.binaryTypes"));
    }

    [Fact]
    public async Task LargeAllocationsThreeTimes_FailClearly_AnotherAppRuns_AndTheThirdQuarantines()
    {
        var engine = Engine();
        await using var bomber = await ScriptApp.StartAsync(Bombs, engine: engine, app: "bomber");
        var neighbour = await NeighbourAsync(engine);

        for (int i = 0; i < 3; i++)
        {
            var result = await bomber.RunAsync("JSObject1.big").WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(result.Error);
            Assert.Equal(ScriptErrorKind.Memory, result.Error!.Kind);
            Assert.Contains($"memory limit of {LimitMb} MB", result.Error.Message);
            Assert.Equal("\"hi\"", await neighbour.ValueAsync("JSObject1.hi"));
        }

        var watch = Stopwatch.StartNew();
        var refused = await bomber.RunAsync("JSObject1.big");
        Assert.Equal(ScriptErrorKind.Quarantined, refused.Error!.Kind);
        Assert.Contains("quarantined until", refused.Error.Message);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
        Assert.Equal("\"hi\"", await neighbour.ValueAsync("JSObject1.hi"));
    }
}
