using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Tests.Host;

/// <summary>Loads page <c>Home</c> of any stored app into session <c>s-1</c>, <c>s-2</c>, ...; runs echo their arguments, <c>Fail.now</c> fails.</summary>
internal sealed class FakePageRuntime(FakeDefinitionRepository repository) : IPageRuntime
{
    private readonly ConcurrentDictionary<string, string> _sessions = new();
    private int _next;

    public ConcurrentQueue<(string App, string Page, string Scope)> Loads { get; } = new();
    public ConcurrentQueue<(string App, string SessionId, string Action, string ArgsJson)> Runs { get; } = new();

    public async Task<PageLoadResult> LoadPageAsync(string app, string page, string scope, CancellationToken ct = default)
    {
        if (await repository.GetAppAsync(app, ct) is null || page != "Home")
            throw new AppNotFoundException($"There is no page '{page}' in app '{app}'.");

        Loads.Enqueue((app, page, scope));
        var sessionId = $"s-{Interlocked.Increment(ref _next)}";
        _sessions[sessionId] = app;
        var action = new ActionReport { Name = "getusers_API", Kind = "query", Layer = 0, Status = "success", Data = new JsonArray(1, 2) };
        return new PageLoadResult(sessionId, [action], new JsonObject { ["Table1"] = new JsonObject { ["tableData"] = new JsonArray(1, 2) } },
            [new ScriptLog("info", "loaded", "JSObject1.onPageLoad")]);
    }

    public Task<RunResult?> RunAsync(string app, string sessionId, string action, string argsJson, CancellationToken ct = default)
    {
        Runs.Enqueue((app, sessionId, action, argsJson));
        if (!_sessions.TryGetValue(sessionId, out var sessionApp) || sessionApp != app)
            return Task.FromResult<RunResult?>(null);

        var result = action == "Fail.now"
            ? new RunResult(null, new ScriptError(ScriptErrorKind.Timeout, "TimeoutError", "Script ran past 5 s."), [], new JsonObject(), [])
            : new RunResult(JsonNode.Parse(argsJson), null, [], new JsonObject(), []);
        return Task.FromResult<RunResult?>(result);
    }
}
