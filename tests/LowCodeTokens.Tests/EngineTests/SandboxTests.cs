using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.EngineTests;

/// <summary>
/// No host object, function, promise or error is reachable from script code, beyond the escapes of the script-engine
/// issue (Security/SandboxEscapeTests).
/// </summary>
public sealed class SandboxTests : IAsyncLifetime
{
    private ScriptApp _app = null!;

    // Each function returns what it reached if an escape worked; a sandboxed run must fail instead.
    private const string Attacks = """
        export default {
          async viaHostRejection() { try { await q.run('not an object'); } catch (e) { return typeof e.constructor.constructor('return process')(); } },
          viaProcess() { return typeof process.env; },
          viaArguments() { return typeof arguments.callee.caller; },
          sharedMemory() { return [typeof SharedArrayBuffer, typeof Atomics, typeof WebAssembly]; },
        }
        """;

    public async Task InitializeAsync() =>
        _app = await ScriptApp.StartAsync(Attacks, queriesJson: """[ { "name": "q", "url": "http://127.0.0.1:1/never" } ]""");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("viaHostRejection", "String compilation has been disabled")]
    [InlineData("viaProcess", "process is not defined")]
    [InlineData("viaArguments", "")]
    public async Task Escape_FromModuleCode_Fails(string attack, string expected)
    {
        var message = await _app.ErrorAsync($"JSObject1.{attack}");
        Assert.Contains(expected, message);
    }

    [Fact]
    public async Task Context_HasNoSharedMemoryOrWasm()
    {
        Assert.Equal("[\"undefined\",\"undefined\",\"undefined\"]", await _app.ValueAsync("JSObject1.sharedMemory"));
    }
}
