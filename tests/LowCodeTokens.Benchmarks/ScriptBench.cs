using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Benchmarks;

/// <summary>
/// The *script* suite's setting, shared with <c>-- profile session</c>: the *pageload* app with a JS object <c>Bench</c>, its page
/// spec, and sessions opened straight on the script engine (no runtime, no queries through them).
/// </summary>
internal sealed class ScriptBench : IAsyncDisposable
{
    private static readonly NoScriptCalls Calls = new();

    private ScriptBench(BenchServer server, BenchEngine engine, ScriptSessionSpec spec) => (Server, Engine, Spec) = (server, engine, spec);

    public BenchServer Server { get; }
    public BenchEngine Engine { get; }
    public ScriptSessionSpec Spec { get; }

    public static async Task<ScriptBench> CreateAsync()
    {
        var server = await BenchServer.StartAsync();
        var engine = BenchEngine.Create();
        await engine.PublishAuthAsync();
        var app = JsonNode.Parse(BenchEngine.TokenApp("bench", server))!.AsObject();
        var page = app["pages"]![0]!.AsObject();
        page["queries"]![0]!["runOnPageLoad"] = false;
        page["queries"]![0]!["headers"] = new JsonObject { ["Authorization"] = "JWT static-benchmark-token" };
        page["jsObjects"] = new JsonArray(new JsonObject
        {
            ["name"] = "Bench",
            ["code"] = "export default {\n  noop() { return 1; },\n  async three() { await getusers0.run(); await getusers0.run(); await getusers0.run(); return getusers0.data.results.length; }\n}",
        });
        await engine.ImportAsync(app.ToJsonString());
        return new ScriptBench(server, engine, (await engine.Catalog.GetAsync("bench"))!.Pages["Home"].Script);
    }

    public IScriptSession OpenSession() => Engine.ScriptEngine.OpenSession(Spec, new SessionStore(), Calls);

    /// <summary>Builds both entities' engines and loads their code (the page's JS object, the module instance's main.js), calling nothing.</summary>
    public static async Task OpenAsync(IScriptSession s)
    {
        await CheckAsync(s.RunExpressionAsync(ScriptEntities.Page, "typeof Bench"));
        await CheckAsync(s.RunExpressionAsync("Auth_Module", "typeof Auth_Module"));
    }

    /// <summary>Calls one function in each entity, which builds the interpreter's trees for what runs.</summary>
    public static async Task TouchAsync(IScriptSession s)
    {
        await CheckAsync(s.CallAsync(ScriptEntities.Page, ["Bench", "noop"], "[]"));
        await CheckAsync(s.CallAsync("Auth_Module", ["Auth_Module", "verifyAccessTokenExpired"], "[]"));
    }

    public static async Task CheckAsync(Task<ScriptOutcome> call)
    {
        var outcome = await call;
        if (outcome.Error is not null) throw new InvalidOperationException(outcome.Error.Message);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Server.DisposeAsync();
    }

    private sealed class NoScriptCalls : IScriptCalls
    {
        public Task<QueryResult> RunQueryAsync(string entity, string query, IReadOnlyList<BindingValue> values, bool rerun, CancellationToken ct) =>
            throw new InvalidOperationException("the script suite runs no queries through this session");

        public Task<ModuleCallResult> CallModuleAsync(string instance, string function, string argsJson, bool fresh, CancellationToken ct) =>
            throw new InvalidOperationException("the script suite calls no modules through this session");
    }
}
