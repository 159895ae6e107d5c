using LowCodeTokens.Engine.Scripting.Analysis;

namespace LowCodeTokens.Tests.Scripting;

/// <summary>Which code may have its engine released when idle: only code that provably keeps no state of its own.</summary>
public sealed class StateAnalysisTests
{
    [Fact]
    public async Task ShippedAuthModule_HoldsNoState_IncludingItsQueryBindings()
    {
        await using var engine = Infrastructure.EngineHarness.Create();
        await Tokens.AuthApp.PublishShippedModuleAsync(engine);
        await engine.ImportAppAsync("""{ "name": "a", "modules": [ { "name": "Auth_Module", "module": "Auth@1" } ], "pages": [ { "name": "Home" } ] }""");
        var compiled = await engine.Catalog.GetAsync("a");
        Assert.True(Assert.Single(compiled!.ScriptModules).HoldsNoState);
    }

    [Fact]
    public void AnalyzeModule_TheShippedAuthModule_HoldsNoState()
    {
        var code = File.ReadAllText(Path.Combine(RepoRoot(), "definitions", "modules", "auth", "main.js"));
        Assert.True(ScriptAnalyzer.AnalyzeModule(code).HoldsNoState);
    }

    [Theory]
    [InlineData("export default { onPageLoad: () => Auth_Module.getAccessToken().then(() => getusers_API.run()) }")]
    [InlineData("export default { f() { return this.g(); }, g() { return 1; } }")]
    [InlineData("export default { f() { const o = {}; o.a = 1; let n = 0; n++; return o; } }")]
    [InlineData("const A = 1, B = A * 60; const h = (x) => x + B; function g(y) { return h(y); } export default { f: () => g(1) }")]
    [InlineData("export default { f(x) { const form = { a: 1, ...x }; Object.assign(form, { b: 2 }); delete form.a; return form; } }")]
    public void AnalyzeModule_OnlyConstantsFunctionsAndLocals_HoldsNoState(string code)
    {
        Assert.True(ScriptAnalyzer.AnalyzeModule(code).HoldsNoState);
    }

    [Theory]
    [InlineData("export default { count: 0, inc() { return 1; } }")]
    [InlineData("let n = 0; export default { f() { return ++n; } }")]
    [InlineData("var n = 0; export default { f() { return n; } }")]
    [InlineData("const cache = {}; export default { f() { cache.x = 1; } }")]
    [InlineData("const list = []; export default { f() { return list; } }")]
    [InlineData("export default { f() { this.x = 1; } }")]
    [InlineData("export default { f() { return this; } }")]
    [InlineData("export default { f() { Object.assign(this, { a: 1 }); } }")]
    [InlineData("export default { f() { Array.prototype.x = 1; } }")]
    [InlineData("export default { f() { globalThis.x = 1; } }")]
    [InlineData("function g() {} export default { f() { g = null; } }")]
    [InlineData("console.log('top'); export default { f() {} }")]
    [InlineData("class C {} export default { f() { return new C(); } }")]
    [InlineData("export default { f() { Object.defineProperty(Object.prototype, 'x', { value: 1 }); } }")]
    public void AnalyzeModule_AnythingThatCouldKeepState_HoldsState(string code)
    {
        var analyzed = ScriptAnalyzer.AnalyzeModule(code);
        Assert.Null(analyzed.Analysis.Error);
        Assert.False(analyzed.HoldsNoState);
    }

    [Theory]
    [InlineData("JSObject1.x = 5", true)]
    [InlineData("n++", true)]
    [InlineData("delete Table1.tableData", true)]
    [InlineData("Object.assign(JSObject1, { x: 1 })", true)]
    [InlineData("getusers_API.data.results", false)]
    [InlineData("JSObject1.onPageLoad()", false)]
    [InlineData("(getusers_API.data?.results ?? []).length", false)]
    [InlineData("this.params.form", false)]
    [InlineData("this.params.id = 1", true)]
    public void AnalyzeExpression_Mutation_IsReported(string expression, bool mutates)
    {
        Assert.Equal(mutates, ScriptAnalyzer.AnalyzeExpression(expression).Mutates);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LowCodeTokens.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
