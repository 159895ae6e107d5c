using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace LowCodeTokens.Tests.EngineTests;

/// <summary>One test per rule of SPEC §2.</summary>
public sealed class ScriptSemanticsTests
{
    [Fact]
    public async Task StoreValue_WithoutAwait_IsVisibleAtOnceAndPersisted()
    {
        await using var app = await ScriptApp.StartAsync("""
            export default {
              write() { storeValue('k', 41); const seen = appsmith.store.k; storeValue('k', seen + 1); return appsmith.store.k; },
              read() { return appsmith.store.k; },
            }
            """);
        Assert.Equal("42", await app.ValueAsync("JSObject1.write"));
        var stored = await app.Engine.Store.ReadAsync(app.App, "app");
        Assert.Equal("42", stored.Values["k"]);
        // A new session (another tab) starts from the persisted store.
        var other = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");
        Assert.Equal("42", (await app.Engine.RunAsync(app.App, other.SessionId, "JSObject1.read")).Result!.ToJsonString());
    }

    [Fact]
    public async Task StoreValue_PersistFalse_ShadowsWithoutDeletingAndStaysInSession()
    {
        await using var app = await ScriptApp.StartAsync("""
            export default {
              async setup() { await storeValue('k', 'persisted'); await storeValue('k', 'session-only', false); return appsmith.store.k; },
              read() { return appsmith.store.k; },
            }
            """);
        Assert.Equal("\"session-only\"", await app.ValueAsync("JSObject1.setup"));
        Assert.Equal("\"session-only\"", await app.ValueAsync("JSObject1.read"));
        Assert.Equal("\"persisted\"", (await app.Engine.Store.ReadAsync(app.App, "app")).Values["k"]);
        var other = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");
        Assert.Equal("\"persisted\"", (await app.Engine.RunAsync(app.App, other.SessionId, "JSObject1.read")).Result!.ToJsonString());
    }

    [Fact]
    public async Task StoreValue_JsonRules_DropUndefinedAndFunctionsAndDatesBecomeIso()
    {
        await using var app = await ScriptApp.StartAsync("""
            export default {
              async write() {
                await storeValue('v', { a: 1, u: undefined, f: () => 1, d: new Date(Date.UTC(2024, 0, 2)), n: null, list: [1, undefined] });
                return appsmith.store.v;
              },
            }
            """);
        var value = JsonNode.Parse(await app.ValueAsync("JSObject1.write"))!.AsObject();
        Assert.False(value.ContainsKey("u"));
        Assert.False(value.ContainsKey("f"));
        Assert.Equal("2024-01-02T00:00:00.000Z", value["d"]!.GetValue<string>());
        Assert.Null(value["n"]);
        Assert.Equal("[1,null]", value["list"]!.ToJsonString());
    }

    [Fact]
    public async Task RemoveValueAndClearStore_RemovePersistedValues()
    {
        await using var app = await ScriptApp.StartAsync("""
            export default {
              async fill() { await storeValue('a', 1); await storeValue('b', 2); await storeValue('c', 3); },
              async remove() { await removeValue('a'); return Object.keys(appsmith.store).sort(); },
              async clear() { await clearStore(); return Object.keys(appsmith.store).length; },
            }
            """);
        await app.ValueAsync("JSObject1.fill");
        Assert.Equal("[\"b\",\"c\"]", await app.ValueAsync("JSObject1.remove"));
        Assert.Equal(2, (await app.Engine.Store.ReadAsync(app.App, "app")).Values.Count);
        Assert.Equal("0", await app.ValueAsync("JSObject1.clear"));
        Assert.Empty((await app.Engine.Store.ReadAsync(app.App, "app")).Values);
    }

    [Fact]
    public async Task FnData_BeforeAfterAndAfterThrow_FollowsTheRules()
    {
        await using var app = await ScriptApp.StartAsync("""
            export default {
              fail: false,
              async work() { if (this.fail) throw new Error('boom'); return { ok: 1 }; },
              before() { return JSObject1.work.data; },
              after() { return this.work.data; },
              setFail() { this.fail = true; },
            }
            """);
        Assert.Equal("{}", await app.ValueAsync("JSObject1.before"));
        Assert.Equal("{\"ok\":1}", await app.ValueAsync("JSObject1.work"));
        Assert.Equal("{\"ok\":1}", await app.ValueAsync("JSObject1.after"));
        await app.ValueAsync("JSObject1.setFail");
        Assert.Contains("boom", await app.ErrorAsync("JSObject1.work"));
        Assert.Equal("null", await app.ValueAsync("JSObject1.after")); // undefined serializes as null
    }

    [Fact]
    public async Task JsObjectVariables_PersistPerSession_AndThisWorksInArrowFunctions()
    {
        await using var app = await ScriptApp.StartAsync("""
            export default {
              count: 0,
              inc: () => { this.count += 1; return this.count; },
            }
            """);
        Assert.Equal("1", await app.ValueAsync("JSObject1.inc"));
        Assert.Equal("2", await app.ValueAsync("JSObject1.inc"));
        var other = await app.Engine.Runtime.LoadPageAsync(app.App, "Home", "app");
        Assert.Equal("1", (await app.Engine.RunAsync(app.App, other.SessionId, "JSObject1.inc")).Result!.ToJsonString());
    }

    [Fact]
    public async Task Atob_JwtPayloadWithBase64UrlCharacters_Decodes()
    {
        var payload = new { sub = "~~~???>>>", exp = 1700000000 };
        var jwt = TestJwt.Create(payload);
        Assert.Matches("[-_]", jwt.Split('.')[1]);
        await using var app = await ScriptApp.StartAsync($$"""
            export default {
              decode: () => JSON.parse(atob('{{jwt}}'.split('.')[1])),
              expires: () => jwt.expiresAt('{{jwt}}'),
              bad: () => jwt.decode('abc'),
            }
            """);
        var decoded = JsonNode.Parse(await app.ValueAsync("JSObject1.decode"))!;
        Assert.Equal("~~~???>>>", decoded["sub"]!.GetValue<string>());
        Assert.Equal("1700000000000", await app.ValueAsync("JSObject1.expires"));
        Assert.Contains("3 dot-separated segments", await app.ErrorAsync("JSObject1.bad"));
    }

    [Fact]
    public async Task QueryRun_ParamsMustBeAnObject_AndThisParamsIsScopedToTheRun()
    {
        await using var server = await TestApiServer.StartAsync();
        server.Map("GET", "/echo", ctx => ctx.Response.WriteAsJsonAsync(new { id = ctx.Request.Query["id"].ToString() }));
        await using var app = await ScriptApp.StartAsync("""
            export default {
              async two() { const a = await q.run({ id: 'one' }); const b = await q.run(); return [a.id, b.id]; },
              bad: () => q.run('nope'),
            }
            """, queriesJson: """[ { "name": "q", "datasource": "api", "url": "/echo", "queryParams": { "id": "{{this.params.id ?? 'none'}}" } } ]""",
            datasourceBaseUrl: server.Url(""));
        Assert.Equal("[\"one\",\"none\"]", await app.ValueAsync("JSObject1.two"));
        Assert.Contains("params must be an object", await app.ErrorAsync("JSObject1.bad"));
    }

    [Fact]
    public async Task QueryRun_Non2xx_SetsDataAndMetaAndRejectsWithStatusAndExcerpt()
    {
        await using var server = await TestApiServer.StartAsync();
        server.MapJson("GET", "/fail", """{"error":"nope","detail":"the server said no"}""", 503);
        await using var app = await ScriptApp.StartAsync("""
            export default {
              async run() {
                try { await q.run(); return 'no error'; }
                catch (e) { return { message: e.message, data: q.data, meta: q.responseMeta, loading: q.isLoading }; }
              },
            }
            """, queriesJson: """[ { "name": "q", "datasource": "api", "url": "/fail" } ]""", datasourceBaseUrl: server.Url(""));
        var r = JsonNode.Parse(await app.ValueAsync("JSObject1.run"))!;
        Assert.Contains("503", r["message"]!.GetValue<string>());
        Assert.Contains("the server said no", r["message"]!.GetValue<string>());
        Assert.Equal("nope", r["data"]!["error"]!.GetValue<string>());
        Assert.Equal(503, r["meta"]!["statusCode"]!.GetValue<int>());
        Assert.False(r["meta"]!["isExecutionSuccess"]!.GetValue<bool>());
        Assert.False(r["loading"]!.GetValue<bool>());
    }

    [Fact]
    public async Task QueryBody_SmartJson_SubstitutesStringNumberNullAndObject()
    {
        await using var server = await TestApiServer.StartAsync();
        server.Map("POST", "/body", ctx => ctx.Response.WriteAsync("ok"));
        await using var app = await ScriptApp.StartAsync("""
            export default { s: 'a "quoted" str', n: 42, z: null, o: { x: [1, 2] }, send: () => q.run() }
            """, queriesJson: """
            [ { "name": "q", "datasource": "api", "method": "POST", "url": "/body", "bodyType": "json",
                "body": "{ \"s\": {{JSObject1.s}}, \"n\": {{JSObject1.n}}, \"z\": {{JSObject1.z}}, \"o\": {{JSObject1.o}}, \"inner\": \"Bearer {{JSObject1.s}}\" }" } ]
            """, datasourceBaseUrl: server.Url(""));
        await app.ValueAsync("JSObject1.send");
        var body = JsonNode.Parse(Assert.Single(server.Requests).Body)!;
        Assert.Equal("a \"quoted\" str", body["s"]!.GetValue<string>());
        Assert.Equal(42, body["n"]!.GetValue<int>());
        Assert.Null(body["z"]);
        Assert.Equal("[1,2]", body["o"]!["x"]!.ToJsonString());
        Assert.Equal("Bearer a \"quoted\" str", body["inner"]!.GetValue<string>());
    }

    [Fact]
    public async Task QueryBinding_ThatThrows_FailsTheQueryNamingTheBindingAndSendsNothing()
    {
        await using var server = await TestApiServer.StartAsync();
        server.Map("GET", "/x", ctx => ctx.Response.WriteAsync("ok"));
        await using var app = await ScriptApp.StartAsync("""
            export default { send: () => q.run() }
            """, queriesJson: """[ { "name": "q", "datasource": "api", "url": "/x", "headers": { "Authorization": "JWT {{JSObject1.missing.token}}" } } ]""",
            datasourceBaseUrl: server.Url(""));
        var error = await app.ErrorAsync("JSObject1.send");
        Assert.Contains("JSObject1.missing.token", error);
        Assert.Contains("headers.Authorization", error);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ConsoleAndSetTimeout_AreCapturedAndAwaitable()
    {
        await using var app = await ScriptApp.StartAsync("""
            export default {
              async wait() { console.info('start', { n: 1 }); await new Promise(r => setTimeout(r, 20)); console.warn('done'); return 'waited'; },
            }
            """);
        var r = await app.RunAsync("JSObject1.wait");
        Assert.Equal("\"waited\"", r.Result!.ToJsonString());
        Assert.Contains(r.Logs, l => l.Level == "info" && l.Text == "start {\"n\":1}");
        Assert.Contains(r.Logs, l => l.Level == "warn" && l.Text == "done");
    }
}
