using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>
/// The shipped <c>modules/auth</c> module, published from its files, used by an app like SPEC §1 against an
/// <see cref="OAuthTestServer"/>: page query <c>getusers_API</c> (Authorization from <c>Auth_Module.getAccessToken.data</c>,
/// <c>onUnauthorized: Auth_Module.refreshAccessToken</c>) and <c>Table1</c> bound to its results.
/// </summary>
internal sealed class AuthApp : IAsyncDisposable
{
    public const string App = "crm";
    public const string Scope = "app";

    public required EngineHarness Engine { get; init; }
    public required OAuthTestServer Server { get; init; }
    public FakeTimeProvider? Clock { get; init; }

    public static async Task<AuthApp> StartAsync(FakeTimeProvider? clock = null, Action<OAuthTestServer>? server = null,
        JsonObject? inputs = null, EngineHarness? engine = null, Action<JsonObject>? page = null)
    {
        var oauth = await OAuthTestServer.StartNewAsync(clock);
        server?.Invoke(oauth);
        engine ??= EngineHarness.Create(time: clock);
        await PublishShippedModuleAsync(engine);
        await engine.ImportAppAsync(Definition(oauth, inputs, page).ToJsonString());
        return new AuthApp { Engine = engine, Server = oauth, Clock = clock };
    }

    /// <summary>The app.json of <see cref="App"/> against <paramref name="oauth"/> (also imported through the HTTP API by host tests).</summary>
    public static JsonObject Definition(OAuthTestServer oauth, JsonObject? inputs = null, Action<JsonObject>? page = null, string name = App)
    {
        var moduleInputs = new JsonObject { ["tokenUrl"] = oauth.TokenUrl, ["clientId"] = oauth.ClientId, ["clientSecret"] = oauth.ClientSecret };
        foreach (var (k, v) in inputs ?? []) moduleInputs[k] = v?.DeepClone();
        var app = new JsonObject
        {
            ["name"] = name,
            ["allowedHosts"] = new JsonArray(oauth.HostPort), // the module's token URL
            ["modules"] = new JsonArray(new JsonObject { ["name"] = "Auth_Module", ["module"] = "Auth@1", ["inputs"] = moduleInputs }),
            ["datasources"] = new JsonArray(new JsonObject { ["name"] = "users_api", ["baseUrl"] = oauth.BaseUrl, ["allowedHosts"] = new JsonArray(oauth.HostPort) }),
            ["pages"] = new JsonArray(new JsonObject
            {
                ["name"] = "Home",
                ["queries"] = new JsonArray(new JsonObject
                {
                    ["name"] = "getusers_API", ["datasource"] = "users_api", ["method"] = "GET", ["url"] = "/api/users",
                    ["headers"] = new JsonObject { ["Authorization"] = "JWT {{Auth_Module.getAccessToken.data}}" },
                    ["onUnauthorized"] = "Auth_Module.refreshAccessToken",
                }),
                ["widgets"] = new JsonArray(new JsonObject { ["name"] = "Table1", ["type"] = "table", ["tableData"] = "{{getusers_API.data.results}}" }),
            }),
        };
        page?.Invoke(app["pages"]![0]!.AsObject());
        return app;
    }

    /// <summary>Publishes <c>definitions/modules/auth</c> as shipped: module.json with <c>"code"</c> = the text of main.js.</summary>
    public static async Task PublishShippedModuleAsync(EngineHarness engine)
    {
        var moduleJson = await ShippedModuleJsonAsync();
        var code = moduleJson["code"]!.GetValue<string>();
        moduleJson.Remove("code");
        await engine.PublishModuleAsync(moduleJson.ToJsonString(), code);
    }

    /// <summary><c>definitions/modules/auth/module.json</c> as the HTTP API publishes it: without <c>"main"</c>, with <c>"code"</c> = main.js.</summary>
    public static async Task<JsonObject> ShippedModuleJsonAsync()
    {
        var dir = Path.Combine(RepoRoot(), "definitions", "modules", "auth");
        var moduleJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "module.json")))!.AsObject();
        moduleJson["code"] = await File.ReadAllTextAsync(Path.Combine(dir, moduleJson["main"]!.GetValue<string>()));
        moduleJson.Remove("main");
        return moduleJson;
    }

    /// <summary>The repository's root directory (where LowCodeTokens.sln is).</summary>
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LowCodeTokens.sln"))) return dir.FullName;
        throw new InvalidOperationException("LowCodeTokens.sln not found above " + AppContext.BaseDirectory);
    }

    public Task<PageLoadResult> LoadAsync(string scope = Scope) => Engine.Runtime.LoadPageAsync(App, "Home", scope);

    public async Task<RunResult> RunAsync(string sessionId, string action) => await Engine.RunAsync(App, sessionId, action);

    /// <summary>The persisted store value (JSON text) under <paramref name="key"/>, or null.</summary>
    public async Task<string?> StoredAsync(string key, string scope = Scope) =>
        (await Engine.Store.ReadAsync(App, scope)).Values.GetValueOrDefault(key);

    public async Task<string?> StoredStringAsync(string key, string scope = Scope) =>
        await StoredAsync(key, scope) is { } json ? JsonNode.Parse(json)?.GetValue<string>() : null;

    public void Advance(TimeSpan by) => (Clock ?? throw new InvalidOperationException("no fake clock")).Advance(by);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Server.DisposeAsync();
    }
}
