using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.EngineTests;

/// <summary>No host object, function, promise or error is reachable from script code; code generation is off.</summary>
public sealed class SandboxTests : IAsyncLifetime
{
    private ScriptApp _app = null!;

    // Each function returns what it reached if an escape worked; a sandboxed run must fail instead.
    private const string Attacks = """
        export default {
          viaThis() { return typeof this.constructor.constructor('return process')(); },
          viaCallback() { return typeof storeValue.constructor.constructor('return process')(); },
          viaThrownError() { try { jwt.decode('x'); } catch (e) { return typeof e.constructor.constructor('return process')(); } },
          async viaHostRejection() { try { await q.run('not an object'); } catch (e) { return typeof e.constructor.constructor('return process')(); } },
          viaReturnedPromise() { return typeof storeValue('k', 1).constructor.constructor('return process')(); },
          viaFunction() { return typeof Function('return this')().process; },
          viaEval() { return eval('typeof process'); },
          viaRequire() { return typeof require('fs'); },
          viaProcess() { return typeof process.env; },
          viaArguments() { return typeof arguments.callee.caller; },
          sharedMemory() { return [typeof SharedArrayBuffer, typeof Atomics, typeof WebAssembly]; },
        }
        """;

    public async Task InitializeAsync() =>
        _app = await ScriptApp.StartAsync(Attacks, queriesJson: """[ { "name": "q", "url": "http://127.0.0.1:1/never" } ]""");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("viaThis", "String compilation has been disabled")]
    [InlineData("viaCallback", "String compilation has been disabled")]
    [InlineData("viaThrownError", "String compilation has been disabled")]
    [InlineData("viaHostRejection", "String compilation has been disabled")]
    [InlineData("viaReturnedPromise", "String compilation has been disabled")]
    [InlineData("viaFunction", "String compilation has been disabled")]
    [InlineData("viaEval", "String compilation has been disabled")]
    [InlineData("viaRequire", "require is not defined")]
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

    [Fact]
    public async Task DynamicImport_IsRejectedAtPublish_WithItsLocation()
    {
        var result = await _app.Engine.Catalog.PublishModuleAsync("Evil", "1.0.0", new JsonObject
        {
            ["name"] = "Evil",
            ["version"] = "1.0.0",
            ["code"] = "export default {\n  run: () => import('fs'),\n}",
        }.ToJsonString());
        Assert.False(result.WasSuccessful(out _, out var problems));
        var problem = Assert.Single(problems);
        Assert.Contains("import()", problem.Message);
        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public async Task DynamicImport_ThatBypassesAnalysis_FailsWithoutAHostError()
    {
        // The analyser refuses import() before code is stored; this proves the engine refuses it too.
        var spec = new ScriptSessionSpec("direct", new ScriptPageSpec([], [], [], []), []);
        using var session = _app.Engine.ScriptEngine.OpenSession(spec, new SessionStore(), new NoCalls());
        var outcome = await session.RunExpressionAsync(ScriptEntities.Page, "import('fs')");
        Assert.False(outcome.WasSuccessful(out var value, out var error), $"escaped: {value}");
        Assert.Equal(ScriptErrorKind.Script, error.Kind);
        Assert.Contains("import() is not available", error.Message);
        Assert.Equal("\"still works\"", (await session.RunExpressionAsync(ScriptEntities.Page, "'still works'")).ValueJson);
    }

    private sealed class NoCalls : IScriptCalls
    {
        public Task<LowCodeTokens.Engine.Queries.QueryResult> RunQueryAsync(string entity, string query, IReadOnlyList<LowCodeTokens.Engine.Bindings.BindingValue> values, bool rerun, CancellationToken ct) =>
            throw new InvalidOperationException("no queries here");
        public Task<ModuleCallResult> CallModuleAsync(string instance, string function, string argsJson, bool fresh, CancellationToken ct) =>
            throw new InvalidOperationException("no modules here");
    }
}
