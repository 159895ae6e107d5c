using System.Diagnostics;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Tests.EngineTests;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Security;

/// <summary>
/// The sandbox escapes of the script-engine issue, one test each: none reaches the host. Each attack returns what it
/// reached if it escaped; a sandboxed run fails with a script error (not an engine failure, which would mean a .NET
/// exception got out) and the app keeps answering.
/// </summary>
public sealed class SandboxEscapeTests : IAsyncLifetime
{
    private static readonly TimeSpan Failsafe = TimeSpan.FromSeconds(30);

    private const string Attacks = """
        export default {
          ok: () => 'fine',
          viaThis() { return typeof this.constructor.constructor('return process')(); },
          viaFunction() { return typeof Function('return this')().process; },
          viaEval() { return eval('typeof process'); },
          viaIndirectEval() { return (0, globalThis['ev' + 'al'])('typeof process'); },
          viaHostFunction() { return typeof storeValue.constructor.constructor('return process')(); },
          viaThrownError() { try { jwt.decode('x'); } catch (e) { return typeof e.constructor.constructor('return process')(); } },
          viaReturnedPromise() { return typeof storeValue('k', 1).constructor.constructor('return process')(); },
          viaRequire() { return typeof require('fs'); },
          viaImportNamespace() { return String(importNamespace('System').Environment.Exit); },
          clrGlobals() { return [typeof importNamespace, typeof System, typeof clrHelper, typeof host]; },
          viaAtomicsWait() { return Atomics.wait(new Int32Array(new SharedArrayBuffer(16)), 0, 0, Infinity); },
          sharedMemory() { return [typeof Atomics, typeof SharedArrayBuffer, typeof Int32Array]; },
        }
        """;

    private ScriptApp _app = null!;

    public async Task InitializeAsync() => _app = await ScriptApp.StartAsync(Attacks).WaitAsync(Failsafe);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ThisConstructorConstructor_ReturnProcess_IsRefused() =>
        await AssertRefusedAsync("viaThis", "String compilation has been disabled");

    [Fact]
    public async Task FunctionReturnThis_IsRefused() =>
        await AssertRefusedAsync("viaFunction", "String compilation has been disabled");

    [Fact]
    public async Task Eval_DirectAndIndirect_IsRefused()
    {
        await AssertRefusedAsync("viaEval", "String compilation has been disabled");
        await AssertRefusedAsync("viaIndirectEval", "String compilation has been disabled");
    }

    [Fact]
    public async Task ConstructorOfAHostFunction_IsRefused() =>
        await AssertRefusedAsync("viaHostFunction", "String compilation has been disabled");

    [Fact]
    public async Task ConstructorOfAThrownHostError_IsRefused() =>
        await AssertRefusedAsync("viaThrownError", "String compilation has been disabled");

    [Fact]
    public async Task ConstructorOfAReturnedHostPromise_IsRefused() =>
        await AssertRefusedAsync("viaReturnedPromise", "String compilation has been disabled");

    [Fact]
    public async Task Require_IsNotDefined() =>
        await AssertRefusedAsync("viaRequire", "require is not defined");

    [Fact]
    public async Task ImportNamespaceSystem_IsNotDefined_AndNoClrGlobalIs()
    {
        await AssertRefusedAsync("viaImportNamespace", "importNamespace is not defined");
        Assert.Equal("[\"undefined\",\"undefined\",\"undefined\",\"undefined\"]", await _app.ValueAsync("JSObject1.clrGlobals").WaitAsync(Failsafe));
    }

    [Fact]
    public async Task AtomicsWait_IsNotAvailable_AndBlocksNothing()
    {
        // With Atomics present (and AgentCanSuspend on) this call would block its thread, and the session, forever.
        var watch = Stopwatch.StartNew();
        await AssertRefusedAsync("viaAtomicsWait", "Atomics is not defined|'wait' of undefined");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal("[\"undefined\",\"undefined\",\"undefined\"]", await _app.ValueAsync("JSObject1.sharedMemory").WaitAsync(Failsafe));
    }

    [Fact]
    public async Task DynamicImport_IsRejectedAtPublish_WithItsLocation()
    {
        var result = await _app.Engine.Catalog.PublishModuleAsync("Evil", "1.0.0", new JsonObject
        {
            ["name"] = "Evil",
            ["version"] = "1.0.0",
            ["code"] = "export default {\n  run: () => import('fs'),\n}",
        }.ToJsonString()).WaitAsync(Failsafe);
        Assert.False(result.WasSuccessful(out _, out var problems));
        var problem = Assert.Single(problems);
        Assert.Contains("import()", problem.Message);
        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public async Task DynamicImport_ThatBypassesAnalysis_FailsWithAScriptError()
    {
        // The analyser refuses import() before code is stored; this proves the engine refuses it too.
        var spec = new ScriptSessionSpec("direct", new ScriptPageSpec([], [], [], []), []);
        using var session = _app.Engine.ScriptEngine.OpenSession(spec, new SessionStore(), new NoCalls());
        var outcome = await session.RunExpressionAsync(ScriptEntities.Page, "import('fs')").WaitAsync(Failsafe);
        Assert.False(outcome.WasSuccessful(out var value, out var error), $"escaped: {value}");
        Assert.Equal(ScriptErrorKind.Script, error.Kind);
        Assert.Contains("import() is not available", error.Message);
        Assert.Equal("\"still works\"", (await session.RunExpressionAsync(ScriptEntities.Page, "'still works'").WaitAsync(Failsafe)).ValueJson);
    }

    /// <param name="expected">A regular expression the error's message matches.</param>
    private async Task AssertRefusedAsync(string attack, string expected)
    {
        var result = await _app.RunAsync($"JSObject1.{attack}").WaitAsync(Failsafe);
        Assert.True(result.Error is not null, $"{attack} escaped: {result.Result?.ToJsonString()}");
        Assert.Equal(ScriptErrorKind.Script, result.Error!.Kind);
        Assert.Matches(expected, result.Error.Message);
        Assert.Equal("\"fine\"", await _app.ValueAsync("JSObject1.ok").WaitAsync(Failsafe));
    }

    private sealed class NoCalls : IScriptCalls
    {
        public Task<LowCodeTokens.Engine.Queries.QueryResult> RunQueryAsync(string entity, string query, IReadOnlyList<LowCodeTokens.Engine.Bindings.BindingValue> values, bool rerun, CancellationToken ct) =>
            throw new InvalidOperationException("no queries here");
        public Task<ModuleCallResult> CallModuleAsync(string instance, string function, string argsJson, bool fresh, CancellationToken ct) =>
            throw new InvalidOperationException("no modules here");
    }
}
