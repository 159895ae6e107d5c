using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.EngineTests;

/// <summary>One app with one page holding a JS object (and optional queries/widgets), loaded into a session.</summary>
internal sealed class ScriptApp : IAsyncDisposable
{
    public required EngineHarness Engine { get; init; }
    public required string App { get; init; }
    public required string SessionId { get; init; }
    public required PageLoadResult Load { get; init; }

    public static async Task<ScriptApp> StartAsync(string jsObjectCode, string queriesJson = "[]", string widgetsJson = "[]",
        EngineHarness? engine = null, string app = "app1", string scope = "app", string? datasourceBaseUrl = null)
    {
        engine ??= EngineHarness.Create();
        var datasources = datasourceBaseUrl is null ? "[]" : $$"""[ { "name": "api", "baseUrl": "{{datasourceBaseUrl}}" } ]""";
        var appJson = new JsonObject
        {
            ["name"] = app,
            ["datasources"] = JsonNode.Parse(datasources),
            ["pages"] = new JsonArray(new JsonObject
            {
                ["name"] = "Home",
                ["queries"] = JsonNode.Parse(queriesJson),
                ["widgets"] = JsonNode.Parse(widgetsJson),
                ["jsObjects"] = new JsonArray(new JsonObject { ["name"] = "JSObject1", ["code"] = jsObjectCode }),
            }),
        };
        await engine.ImportAppAsync(appJson.ToJsonString());
        var load = await engine.Runtime.LoadPageAsync(app, "Home", scope);
        return new ScriptApp { Engine = engine, App = app, SessionId = load.SessionId, Load = load };
    }

    public Task<RunResult> RunAsync(string action, string argsJson = "[]") => Engine.RunAsync(App, SessionId, action, argsJson);

    /// <summary>Runs and returns the result as JSON text, failing the test with the script's error if there was one.</summary>
    public async Task<string> ValueAsync(string action, string argsJson = "[]")
    {
        var r = await RunAsync(action, argsJson);
        Assert.True(r.Error is null, $"{action} failed: {r.Error?.Message}");
        return r.Result?.ToJsonString() ?? "null";
    }

    public async Task<string> ErrorAsync(string action, string argsJson = "[]")
    {
        var r = await RunAsync(action, argsJson);
        Assert.True(r.Error is not null, $"{action} should have failed but returned {r.Result?.ToJsonString()}");
        return r.Error!.Message;
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
