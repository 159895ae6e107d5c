using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Host;

/// <summary>Issue 3 acceptance through HTTP with the real engine: import, page load in layers, sessions, bad input, restart.</summary>
public sealed class PageLoadEndToEndTests : IAsyncLifetime
{
    internal const string ModuleCode = """
        export default {
          async getAccessToken() {
            const { authToken, authExpiresAt } = appsmith.store;
            if (authToken && Date.now() < authExpiresAt) return authToken;
            const body = await api_authToken.run();
            await storeValue('authToken', body.access_token);
            await storeValue('authExpiresAt', jwt.expiresAt(body.access_token));
            return body.access_token;
          },
        }
        """;

    internal const string ModuleJson = """
        { "name": "Auth", "version": "1.0.0", "main": "main.js",
          "inputs": { "tokenUrl": "", "clientId": "", "clientSecret": { "secret": true, "default": "" } },
          "singleFlight": ["getAccessToken"],
          "queries": [ { "name": "api_authToken", "method": "POST", "url": "{{inputs.tokenUrl}}", "bodyType": "form",
                         "body": { "grant_type": "client_credentials", "client_id": "{{inputs.clientId}}", "client_secret": "{{inputs.clientSecret}}" } } ] }
        """;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-host-").FullName;
    private OAuthTestServer _oauth = null!;

    public async Task InitializeAsync() => _oauth = await OAuthTestServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        await _oauth.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    internal static string SpecApp(OAuthTestServer oauth, string extraJsFunctions = "") => $$$"""
        { "name": "crm",
          "allowedHosts": ["{{{oauth.HostPort}}}"],
          "modules": [ { "name": "Auth_Module", "module": "Auth@1",
                         "inputs": { "tokenUrl": "{{{oauth.TokenUrl}}}", "clientId": "{{{oauth.ClientId}}}", "clientSecret": "{{{oauth.ClientSecret}}}" } } ],
          "datasources": [ { "name": "users_api", "baseUrl": "{{{oauth.BaseUrl}}}", "allowedHosts": ["{{{oauth.HostPort}}}"] } ],
          "pages": [ { "name": "Home",
            "queries": [ { "name": "getusers_API", "datasource": "users_api", "method": "GET", "url": "/api/users",
                           "headers": { "Authorization": "JWT {{Auth_Module.getAccessToken.data}}" } } ],
            "jsObjects": [ { "name": "JSObject1",
                             "code": "export default { onPageLoad: () => Auth_Module.getAccessToken().then(() => getusers_API.run()){{{extraJsFunctions}}} }",
                             "runOnPageLoad": ["onPageLoad"] } ],
            "widgets": [ { "name": "Table1", "type": "table", "tableData": "{{getusers_API.data.results}}" } ] } ] }
        """;

    internal static async Task PublishAndImportAsync(HttpClient admin, string appJson)
    {
        var module = JsonNode.Parse(ModuleJson)!.AsObject();
        module["code"] = ModuleCode;
        var published = await admin.PutAsync("/api/modules/Auth/versions/1.0.0", Json(module.ToJsonString()));
        Assert.True(published.IsSuccessStatusCode || published.StatusCode == HttpStatusCode.Conflict, await published.Content.ReadAsStringAsync());
        var imported = await admin.PutAsync("/api/apps/crm", Json(appJson));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
    }

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task LoadPage_SpecApp_RunsEachActionOnceInLayerOrderAndEvaluatesTheTable()
    {
        await using var host = new EngineHostFactory(_dataDir);
        var admin = host.Admin();
        await PublishAndImportAsync(admin, SpecApp(_oauth, ", count: () => getusers_API.data.results.length"));

        var response = await admin.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The table's binding schedules getusers_API (layer 1, after the token it reads); JSObject1.onPageLoad calls both too.
        var actions = body["actions"]!.AsArray().Select(a => a!).ToList();
        Assert.All(actions, a => Assert.Equal("success", a["status"]!.GetValue<string>()));
        var layers = actions.ToDictionary(a => a["name"]!.GetValue<string>(), a => a["layer"]!.GetValue<int>());
        Assert.Equal(0, layers["Auth_Module.getAccessToken"]);
        Assert.Equal(0, layers["JSObject1.onPageLoad"]);
        Assert.Equal(1, layers["getusers_API"]);
        Assert.Equal(3, actions.Count);
        Assert.Equal(1, _oauth.TokenRequests);
        Assert.Equal(1, _oauth.ApiRequests);

        var table = body["widgets"]!["Table1"]!["tableData"]!.AsArray();
        Assert.NotEmpty(table);

        var run = await admin.PostAsync($"/api/apps/crm/sessions/{body["sessionId"]}/run", Json("""{ "action": "JSObject1.count" }"""));
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal(table.Count, JsonNode.Parse(await run.Content.ReadAsStringAsync())!["result"]!.GetValue<int>());
    }

    [Fact]
    public async Task LoadPage_ApiReceivesTheTokenInTheHeaderTheBindingBuilt()
    {
        await using var api = await TestApiServer.StartAsync();
        api.MapJson("GET", "/api/users", """{ "results": [ { "id": 1 } ] }""");
        await using var host = new EngineHostFactory(_dataDir);
        var admin = host.Admin();
        var app = SpecApp(_oauth).Replace(_oauth.BaseUrl, api.Url("")).Replace(_oauth.HostPort, api.HostPort)
            .Replace($"\"tokenUrl\": \"{api.Url("")}/token\"", $"\"tokenUrl\": \"{_oauth.TokenUrl}\"")
            .Replace($"\"allowedHosts\": [\"{api.HostPort}\"],", $"\"allowedHosts\": [\"{_oauth.HostPort}\"],"); // the app's: the token URL's host
        await PublishAndImportAsync(admin, app);

        await admin.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"));
        var request = Assert.Single(api.Requests);
        var header = request.Header("Authorization")!;
        Assert.StartsWith("JWT ", header);
        Assert.True(_oauth.IsAccessTokenValid(header["JWT ".Length..]));
    }

    [Fact]
    public async Task Run_InAnExpiredSession_IsA404Problem()
    {
        var clock = TestClock.Create(DateTimeOffset.UtcNow);
        await using var host = new EngineHostFactory(_dataDir, s => s.AddSingleton<TimeProvider>(clock));
        var admin = host.Admin();
        await PublishAndImportAsync(admin, SpecApp(_oauth, ", count: () => 1"));
        var load = JsonNode.Parse(await (await admin.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"))).Content.ReadAsStringAsync())!;
        var sessionId = load["sessionId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/apps/crm/sessions/{sessionId}/run", Json("""{ "action": "JSObject1.count" }"""))).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(31));
        var expired = await admin.PostAsync($"/api/apps/crm/sessions/{sessionId}/run", Json("""{ "action": "JSObject1.count" }"""));
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal("application/problem+json", expired.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Restart_KeepsDefinitionsAndStore_AndReusesTheTokenWithoutANewRequest()
    {
        await using (var first = new EngineHostFactory(_dataDir))
        {
            var admin = first.Admin();
            await PublishAndImportAsync(admin, SpecApp(_oauth));
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"))).StatusCode);
        }
        Assert.Equal(1, _oauth.TokenRequests);

        await using var second = new EngineHostFactory(_dataDir);
        var again = second.Admin();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/apps/crm")).StatusCode);
        var load = await again.PostAsync("/api/apps/crm/pages/Home/load", Json("{}"));
        var body = JsonNode.Parse(await load.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        Assert.NotEmpty(body["widgets"]!["Table1"]!["tableData"]!.AsArray());
        Assert.Equal(1, _oauth.TokenRequests);
        Assert.Equal(2, _oauth.ApiRequests);
    }
}
