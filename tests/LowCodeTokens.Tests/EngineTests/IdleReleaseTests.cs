using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Scripting.Jint;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.EngineTests;

/// <summary>
/// An idle session releases the engines of code that keeps no state of its own and rebuilds them, state put back, on the
/// next call: scripts see the same query data, fn.data and widget values; code that keeps state keeps its engine.
/// </summary>
public sealed class IdleReleaseTests
{
    private const string ModuleJson = """
        { "name": "Greeter", "version": "1.0.0", "main": "main.js", "inputs": { "greeting": "hello" } }
        """;

    private const string ModuleCode = """
        const suffix = (n) => `#${n}`;
        export default {
          async greet(n) { await Promise.resolve(); return `${inputs.greeting} ${suffix(n)}`; },
        }
        """;

    private static async Task<(EngineHarness Engine, TestApiServer Server)> StartAsync(string jsObject)
    {
        var server = await TestApiServer.StartAsync();
        var calls = 0;
        server.Map("GET", "/item", ctx => ctx.Response.WriteAsJsonAsync(new { name = "item", call = Interlocked.Increment(ref calls) }));
        var engine = EngineHarness.Create();
        await engine.PublishModuleAsync(ModuleJson, ModuleCode);
        var app = new JsonObject
        {
            ["name"] = "idle",
            ["modules"] = new JsonArray(new JsonObject { ["name"] = "Greeter_Module", ["module"] = "Greeter@1" }),
            ["datasources"] = new JsonArray(new JsonObject { ["name"] = "api", ["baseUrl"] = server.Url("") }),
            ["pages"] = new JsonArray(new JsonObject
            {
                ["name"] = "Home",
                ["queries"] = new JsonArray(new JsonObject { ["name"] = "q", ["datasource"] = "api", ["url"] = "/item", ["runOnPageLoad"] = true }),
                ["jsObjects"] = new JsonArray(new JsonObject { ["name"] = "JSObject1", ["code"] = jsObject, ["runOnPageLoad"] = new JsonArray("load") }),
                ["widgets"] = new JsonArray(new JsonObject { ["name"] = "Text1", ["type"] = "text", ["text"] = "{{q.data.name}} {{JSObject1.load.data}}" }),
            }),
        };
        await engine.ImportAppAsync(app.ToJsonString());
        return (engine, server);
    }

    private static JintScriptSession ScriptsOf(EngineHarness engine, string sessionId) =>
        (JintScriptSession)engine.Services.GetRequiredService<SessionManager>().Find(sessionId)!.Scripts!;

    [Fact]
    public async Task PageAndModuleThatKeepNoState_AreReleasedWhenIdle_AndTheNextCallSeesTheSameState()
    {
        var (engine, server) = await StartAsync("""
            export default {
              load: () => Greeter_Module.greet(7),
              read() { return [q.data, q.responseMeta.statusCode, Greeter_Module.greet.data, Text1.text, JSObject1.load.data]; },
            }
            """);
        await using var _ = engine;
        await using var __ = server;

        var load = await engine.Runtime.LoadPageAsync("idle", "Home", "app");
        Assert.All(load.Actions, a => Assert.Equal("success", a.Status));

        Assert.Equal(["page", "Greeter_Module"], ScriptsOf(engine, load.SessionId).ReleasedEntities.Order().Reverse());
        var read = await engine.RunAsync("idle", load.SessionId, "JSObject1.read");
        Assert.Null(read.Error);
        Assert.Equal("""[{"name":"item","call":1},200,"hello #7","item hello #7","hello #7"]""", read.Result!.ToJsonString());
        Assert.Single(server.Requests); // putting the state back runs no query again
    }

    [Fact]
    public async Task ObjectThatKeepsState_KeepsItsEngine_AndItsVariables()
    {
        var (engine, server) = await StartAsync("""
            export default {
              count: 0,
              load() { this.count += 1; return this.count; },
              read() { return this.count; },
            }
            """);
        await using var _ = engine;
        await using var __ = server;

        var load = await engine.Runtime.LoadPageAsync("idle", "Home", "app");

        Assert.DoesNotContain("page", ScriptsOf(engine, load.SessionId).ReleasedEntities);
        Assert.Equal("1", (await engine.RunAsync("idle", load.SessionId, "JSObject1.read")).Result!.ToJsonString());
        Assert.Equal("2", (await engine.RunAsync("idle", load.SessionId, "JSObject1.load")).Result!.ToJsonString());
    }
}
