using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using LowCodeTokens.Tests.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static LowCodeTokens.Tests.Host.PageLoadEndToEndTests;

namespace LowCodeTokens.Tests.Security;

/// <summary>
/// Issue 15 item 1 (SPEC §5): no log line of the host, at any level and in any category, holds an issued token or a
/// secret — through a lifecycle with failures: an upstream 500 echoing the request's Authorization header, script errors
/// and console output carrying the token, timeouts until the app is quarantined, a wrong key.
/// </summary>
public sealed class LogRedactionTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-logs-").FullName;
    private readonly CapturingLoggerProvider _logs = new();
    private OAuthTestServer _oauth = null!;
    private TestApiServer _echo = null!;
    private EngineHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _oauth = await OAuthTestServer.StartNewAsync();
        _oauth.TokenFormat = AccessTokenFormat.Opaque; // not JWT-shaped: only knowing the token can mask it
        _oauth.ClientSecret = "cs_" + Guid.NewGuid().ToString("N");
        _echo = await TestApiServer.StartAsync();
        _echo.Map("GET", "/api/users", async context =>
        {
            // A careless upstream: its error page echoes the request's credentials.
            context.Response.StatusCode = 500;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"upstream failed; request had Authorization: {context.Request.Headers.Authorization}");
        });
        _host = new EngineHostFactory(_dataDir,
            services => services.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace)),
            new Dictionary<string, string>
            {
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Microsoft"] = "Trace",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:System"] = "Trace",
                ["LowCodeTokens:Scripting:TimeLimit"] = "00:00:00.300",
                ["LowCodeTokens:Scripting:QuarantineStrikes"] = "3",
            });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _echo.DisposeAsync();
        await _oauth.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    private string AppJson() => new JsonObject
    {
        ["name"] = "leaky",
        ["allowedHosts"] = new JsonArray(_oauth.HostPort), // the module's token URL
        ["modules"] = new JsonArray(new JsonObject
        {
            ["name"] = "Auth_Module", ["module"] = "Auth@1",
            ["inputs"] = new JsonObject { ["tokenUrl"] = _oauth.TokenUrl, ["clientId"] = _oauth.ClientId, ["clientSecret"] = _oauth.ClientSecret },
        }),
        ["datasources"] = new JsonArray(new JsonObject { ["name"] = "users_api", ["baseUrl"] = _echo.Url(""), ["allowedHosts"] = new JsonArray(_echo.HostPort) }),
        ["pages"] = new JsonArray(new JsonObject
        {
            ["name"] = "Home",
            ["queries"] = new JsonArray(new JsonObject
            {
                ["name"] = "getusers_API", ["datasource"] = "users_api", ["url"] = "/api/users", ["runOnPageLoad"] = true,
                ["headers"] = new JsonObject { ["Authorization"] = "Bearer {{Auth_Module.getAccessToken.data}}" },
            }),
            ["jsObjects"] = new JsonArray(new JsonObject
            {
                ["name"] = "JSObject1",
                ["code"] = """
                    export default {
                      async shout() {
                        const t = await Auth_Module.getAccessToken();
                        console.log('the token is', t);
                        console.error({ access_token: t, note: `secret ${t}` });
                        throw new Error('failed with ' + t);
                      },
                      async rethrow() {
                        try { await getusers_API.run(); } catch (e) { throw new Error('upstream said: ' + getusers_API.data + ' / ' + e.message); }
                      },
                      async spin() {
                        const t = await Auth_Module.getAccessToken();
                        while (t) {}
                      },
                    }
                    """,
            }),
        }),
    }.ToJsonString();

    [Fact]
    public async Task LifecycleWithFailures_NoIssuedTokenOrSecretInAnyLogLine()
    {
        var admin = _host.Admin();
        var module = await AuthApp.ShippedModuleJsonAsync();
        var published = await admin.PutAsync($"/api/modules/Auth/versions/{module["version"]}", Json(module.ToJsonString()));
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        var imported = await admin.PutAsync("/api/apps/leaky", Json(AppJson()));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        var appKey = JsonNode.Parse(await (await admin.PostAsync("/api/apps/leaky/keys", null)).Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
        var app = _host.CreateClient();
        app.DefaultRequestHeaders.Add("X-Api-Key", appKey);

        var load = await app.PostAsync("/api/apps/leaky/pages/Home/load", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        var sessionId = JsonNode.Parse(await load.Content.ReadAsStringAsync())!["sessionId"]!.GetValue<string>();
        Assert.Single(_echo.Requests);

        foreach (var action in new[] { "JSObject1.shout", "JSObject1.rethrow" })
        {
            var run = await app.PostAsync($"/api/apps/leaky/sessions/{sessionId}/run", Json($$"""{ "action": "{{action}}" }"""));
            Assert.Contains("error", await run.Content.ReadAsStringAsync());
        }
        // Three timeouts quarantine the app: the line that reports it is built from the failures.
        for (int i = 0; i < 3; i++)
        {
            var fresh = JsonNode.Parse(await (await app.PostAsync("/api/apps/leaky/pages/Home/load", Json("{}"))).Content.ReadAsStringAsync())!;
            var sid = fresh["sessionId"]?.GetValue<string>() ?? sessionId;
            await app.PostAsync($"/api/apps/leaky/sessions/{sid}/run", Json("""{ "action": "JSObject1.spin" }"""));
        }
        var quarantined = await app.PostAsync("/api/apps/leaky/pages/Home/load", Json("{}"));
        Assert.Contains("quarantined", await quarantined.Content.ReadAsStringAsync());
        Assert.Contains(_logs.Lines, l => l.Contains("quarantined", StringComparison.Ordinal));

        var wrong = _host.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", appKey + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsync("/api/apps/leaky/pages/Home/load", Json("{}"))).StatusCode);

        var secrets = new HashSet<string>(_oauth.IssuedTokens) { _oauth.ClientSecret, appKey, EngineHostFactory.AdminKey };
        Assert.True(secrets.Count >= 4 && _oauth.IssuedTokens.Count >= 1, $"{_oauth.IssuedTokens.Count} tokens issued");
        // The upstream did receive the token, and echoed it: the test would see it if a log line carried the body.
        Assert.Contains(_oauth.IssuedTokens, t => _echo.Requests[0].Header("Authorization")!.Contains(t, StringComparison.Ordinal));
        var lines = _logs.Lines.ToList();
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines captured:\n" + string.Join("\n", lines));
        var leaks = (from line in lines from secret in secrets where line.Contains(secret, StringComparison.Ordinal)
                     select $"'{secret[..4]}…' in: {line[..Math.Min(400, line.Length)]}").ToList();
        Assert.Empty(leaks);
    }

    [Fact]
    public void EngineFailure_WhoseMessageQuotesAToken_IsLoggedMaskedWithTypeAndStack()
    {
        var logs = new CapturingLoggerProvider();
        var harness = EngineHarness.Create(logging: b => b.AddProvider(logs));
        var engine = (Engine.Scripting.Jint.JintScriptEngine)harness.Services.GetRequiredService<Engine.Scripting.IScriptEngine>();
        const string token = "opaque_access_token_0123456789";
        Exception thrown;
        try { throw new InvalidCastException($"Cannot convert {token} to a BigInt"); }
        catch (InvalidCastException e) { thrown = e; }

        var (error, faults) = engine.Classify(thrown, CancellationToken.None, [token]);

        Assert.True(faults);
        Assert.DoesNotContain(token, error.Message);
        var line = Assert.Single(logs.Lines, l => l.Contains("script engine failed", StringComparison.Ordinal));
        Assert.DoesNotContain(token, line);
        Assert.Contains("System.InvalidCastException: Cannot convert opaq", line);
        Assert.Contains(nameof(EngineFailure_WhoseMessageQuotesAToken_IsLoggedMaskedWithTypeAndStack), line); // the stack is kept
    }
}
