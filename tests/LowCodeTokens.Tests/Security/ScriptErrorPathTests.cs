using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;

namespace LowCodeTokens.Tests.Security;

/// <summary>
/// Issue 15 item 9: no host file path in what a response carries. A module published with its <c>main</c> as a path (as a
/// build tool on the server would write it) throws, rejects, logs and returns its stack; every answer names only main.js.
/// </summary>
public sealed class ScriptErrorPathTests : IAsyncLifetime
{
    private const string ModuleCode = """
        export default {
          fail() { throw new Error('module failed'); },
          reject() { return Promise.reject(new TypeError('module rejected')); },
          stack() { console.log(new Error('logged').stack); return new Error('returned').stack; },
          caught() { try { null.x; } catch (e) { return { name: e.name, stack: e.stack }; } },
        }
        """;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-paths-").FullName;
    private EngineHostFactory _host = null!;
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _host = new EngineHostFactory(_dataDir);
        _admin = _host.Admin();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Theory]
    [InlineData(null)]                            // the host's own directory: AppContext.BaseDirectory + modules/boom/main.js
    [InlineData(@"C:\builds\agent\boom\main.js")] // a Windows build agent's path
    public async Task ModuleWithAPathAsItsMain_ThrowingRejectingAndReturningStacks_NamesNoDirectory(string? main)
    {
        main ??= Path.Combine(AppContext.BaseDirectory, "modules", "boom", "main.js");
        var directory = main[..main.LastIndexOfAny(['/', '\\'])];
        var module = new JsonObject { ["name"] = "Boom", ["version"] = "1.0.0", ["main"] = main, ["code"] = ModuleCode };
        var published = await _admin.PutAsync("/api/modules/Boom/versions/1.0.0", PageLoadEndToEndTests.Json(module.ToJsonString()));
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        var imported = await _admin.PutAsync("/api/apps/paths", PageLoadEndToEndTests.Json("""
            { "name": "paths", "modules": [ { "name": "Boom1", "module": "Boom@1" } ],
              "pages": [ { "name": "Home", "jsObjects": [ { "name": "JSObject1",
                "code": "export default { viaModule() { return Boom1.fail(); }, own() { return undefinedThing.x; } }" } ] } ] }
            """));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        var load = await _admin.PostAsync("/api/apps/paths/pages/Home/load", PageLoadEndToEndTests.Json("{}"));
        var sessionId = JsonNode.Parse(await load.Content.ReadAsStringAsync())!["sessionId"]!.GetValue<string>();
        var answers = new List<string> { await published.Content.ReadAsStringAsync(), await (await _admin.GetAsync("/api/modules/Boom")).Content.ReadAsStringAsync() };
        foreach (var action in new[] { "Boom1.fail", "Boom1.reject", "Boom1.stack", "Boom1.caught", "JSObject1.viaModule", "JSObject1.own" })
        {
            var run = await _admin.PostAsync($"/api/apps/paths/sessions/{sessionId}/run", PageLoadEndToEndTests.Json($$"""{ "action": "{{action}}" }"""));
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
            answers.Add(await run.Content.ReadAsStringAsync());
        }

        var all = string.Join("\n", answers.SelectMany(a => Strings(JsonNode.Parse(a)))); // as decoded, not JSON-escaped
        Assert.Contains("main.js:", all); // the stacks are there, naming the module's file
        Assert.Contains("module failed", all);
        Assert.DoesNotContain(directory, all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AppContext.BaseDirectory.TrimEnd('/'), all, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var text) => [text],
        _ => [],
    };
}
