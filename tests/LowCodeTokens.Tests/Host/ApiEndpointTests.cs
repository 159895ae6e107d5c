using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LowCodeTokens.Tests.Host;

public sealed class ApiEndpointTests : IDisposable
{
    private const string Admin = HostApiFactory.DefaultAdminKey;
    private const string ModuleJson = """{ "name": "Auth", "version": "1.0.0", "code": "export default { getAccessToken: () => 'x' }" }""";
    private const string AppJson = """{ "name": "crm", "modules": [ { "name": "Auth_Module", "module": "Auth@1" } ], "pages": [ { "name": "Home" } ] }""";

    private readonly HostApiFactory _factory = new();
    private readonly HttpClient _client;

    public ApiEndpointTests() => _client = _factory.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task Healthz_WithoutKey_ReturnsOk()
    {
        var response = await SendAsync(HttpMethod.Get, "/healthz", key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await JsonAsync(response))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Healthz_WithoutEngineServices_ReturnsOk()
    {
        // Only the host: health and the API key check of anonymous endpoints must not need the engine.
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("LowCodeTokens:AdminKey", Admin));
        using var client = factory.CreateClient();

        var response = await SendAsync(client, HttpMethod.Get, "/healthz", key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_WithoutKey_ServesDocumentListingRoutesAndKeyScheme()
    {
        var response = await SendAsync(HttpMethod.Get, "/openapi/v1.json", key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await JsonAsync(response);
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject();
        Assert.Contains("/api/modules/{name}/versions/{version}", paths.Select(p => p.Key));
        Assert.Contains("/api/apps/{app}/pages/{page}/load", paths.Select(p => p.Key));
        Assert.Contains("/api/apps/{app}/sessions/{sessionId}/run", paths.Select(p => p.Key));
        Assert.Contains("/api/apps/{app}/keys", paths.Select(p => p.Key));
        Assert.NotNull(paths["/api/apps/{app}/sessions/{sessionId}/run"]!["post"]!["responses"]!["404"]);
        Assert.Equal("ApiKey", paths["/api/apps"]!["get"]!["security"]![0]!.AsObject().Single().Key);
        Assert.Equal("X-Api-Key", document["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListApps_WithoutKey_Returns401Problem()
    {
        var response = await SendAsync(HttpMethod.Get, "/api/apps", key: null);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ListApps_WithUnknownKey_Returns401Problem()
    {
        var response = await SendAsync(HttpMethod.Get, "/api/apps", key: "lct_not-a-key");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LoadPage_WithoutKeyAndBadBody_Returns401BeforeReadingBody()
    {
        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/pages/Home/load", key: null, body: "{ not json");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PublishModule_WithAdminKey_Returns201AndListsVersion()
    {
        var response = await SendAsync(HttpMethod.Put, "/api/modules/Auth/versions/1.0.0", Admin, ModuleJson);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/modules/Auth", response.Headers.Location!.OriginalString);
        var body = await JsonAsync(response);
        Assert.Equal("1.0.0", body["version"]!.GetValue<string>());
        Assert.Equal("getAccessToken", body["singleFlight"]![0]!.GetValue<string>());

        var versions = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/modules/Auth", Admin));
        Assert.Equal(["1.0.0"], versions["versions"]!.AsArray().Select(v => v!.GetValue<string>()));
        var modules = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/modules", Admin));
        Assert.Equal(["Auth"], modules["modules"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task PublishModule_WithAppKey_Returns403Problem()
    {
        var key = await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Put, "/api/modules/Auth/versions/1.0.0", key, ModuleJson);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty(await _factory.Repository.ListModulesAsync());
    }

    [Fact]
    public async Task PublishModule_WithDefinitionProblems_Returns400ProblemWithErrors()
    {
        var response = await SendAsync(HttpMethod.Put, "/api/modules/Auth/versions/1.0.0", Admin, """{ "name": "Auth" }""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("module.json $.code: 'code' is required.", problem["detail"]!.GetValue<string>());
        var errors = problem["errors"]!.AsArray();
        Assert.Equal(2, errors.Count);
        Assert.Equal("module.json", errors[0]!["file"]!.GetValue<string>());
        Assert.Equal("$.code", errors[0]!["path"]!.GetValue<string>());
        Assert.Equal("'code' is required.", errors[0]!["message"]!.GetValue<string>());
        Assert.Null(errors[0]!["line"]);
        Assert.Equal("$.inputs", errors[1]!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task PublishModule_WithSyntaxError_ReportsFileLineAndColumn()
    {
        var response = await SendAsync(HttpMethod.Put, "/api/modules/Auth/versions/1.0.0", Admin, "{\n  \"name\": }");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("module.json:2:11 ", problem["detail"]!.GetValue<string>());
        Assert.Equal(2, problem["errors"]![0]!["line"]!.GetValue<int>());
        Assert.Equal(11, problem["errors"]![0]!["column"]!.GetValue<int>());
    }

    [Fact]
    public async Task PublishModule_SameVersionTwice_Returns409Problem()
    {
        await SendAsync(HttpMethod.Put, "/api/modules/Auth/versions/1.0.0", Admin, ModuleJson);

        var response = await SendAsync(HttpMethod.Put, "/api/modules/Auth/versions/1.0.0", Admin, ModuleJson);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("$.version", problem["errors"]![0]!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetModule_NoVersions_Returns404Problem()
    {
        var response = await SendAsync(HttpMethod.Get, "/api/modules/Nope", Admin);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ImportApp_NewThenAgain_Returns201Then200()
    {
        var created = await SendAsync(HttpMethod.Put, "/api/apps/crm", Admin, AppJson);
        var replaced = await SendAsync(HttpMethod.Put, "/api/apps/crm", Admin, AppJson);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var body = await JsonAsync(replaced);
        Assert.Equal("Home", body["pages"]![0]!.GetValue<string>());
        Assert.Equal("Auth_Module", body["modules"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task ExportApp_Stored_ReturnsStoredJson()
    {
        await SendAsync(HttpMethod.Put, "/api/apps/crm", Admin, AppJson);

        var response = await SendAsync(HttpMethod.Get, "/api/apps/crm", Admin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(AppJson, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeleteApp_ExistingThenAgain_Returns204Then404Problem()
    {
        await SendAsync(HttpMethod.Put, "/api/apps/crm", Admin, AppJson);

        var deleted = await SendAsync(HttpMethod.Delete, "/api/apps/crm", Admin);
        var again = await SendAsync(HttpMethod.Delete, "/api/apps/crm", Admin);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await AssertProblemAsync(again, HttpStatusCode.NotFound);
        await AssertProblemAsync(await SendAsync(HttpMethod.Get, "/api/apps/crm", Admin), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task IssueKey_KnownApp_ReturnsPrefixedKeyAndStoresOnlyItsHash()
    {
        await SendAsync(HttpMethod.Put, "/api/apps/crm", Admin, AppJson);

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/keys", Admin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = (await JsonAsync(response))["key"]!.GetValue<string>();
        Assert.StartsWith("lct_", key);
        Assert.Equal(4 + 43, key.Length);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        Assert.Equal("crm", _factory.Repository.KeyHashes[hash]);
        Assert.DoesNotContain(key, _factory.Repository.KeyHashes.Keys);
    }

    [Fact]
    public async Task IssueKey_UnknownApp_Returns404Problem()
    {
        var response = await SendAsync(HttpMethod.Post, "/api/apps/nope/keys", Admin);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Empty(_factory.Repository.KeyHashes);
    }

    [Fact]
    public async Task LoadPage_WithOwnAppKeyAndNoBody_UsesDefaultScope()
    {
        var key = await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/pages/Home/load", key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("s-1", body["sessionId"]!.GetValue<string>());
        Assert.Equal("getusers_API", body["actions"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(0, body["actions"]![0]!["layer"]!.GetValue<int>());
        Assert.Equal(2, body["widgets"]!["Table1"]!["tableData"]!.AsArray().Count);
        Assert.Equal("loaded", body["logs"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(("crm", "Home", "app"), Assert.Single(_factory.Runtime.Loads));
    }

    [Fact]
    public async Task LoadPage_WithScope_PassesScope()
    {
        await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/pages/Home/load", Admin, """{ "scope": "alice@example.com" }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice@example.com", Assert.Single(_factory.Runtime.Loads).Scope);
    }

    [Fact]
    public async Task LoadPage_WithOtherAppsKey_Returns403Problem()
    {
        var otherKey = await CreateAppWithKeyAsync("billing");
        await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/pages/Home/load", otherKey);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty(_factory.Runtime.Loads);
    }

    [Fact]
    public async Task LoadPage_UnknownPage_Returns404Problem()
    {
        var key = await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/pages/Nope/load", key);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("There is no page 'Nope' in app 'crm'.", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task LoadPage_ScopeTooLong_Returns400ValidationProblemNamingScope()
    {
        var key = await CreateAppWithKeyAsync("crm");
        var body = JsonSerializer.Serialize(new { scope = new string('a', 201) });

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/pages/Home/load", key, body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("200", problem["errors"]!["scope"]![0]!.GetValue<string>());
        Assert.Empty(_factory.Runtime.Loads);
    }

    [Fact]
    public async Task LoadPage_ScopeOfWrongType_Returns400NamingFieldAndPosition()
    {
        var key = await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/pages/Home/load", key, """{ "scope": 42 }""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = problem["detail"]!.GetValue<string>();
        Assert.StartsWith("$.scope (line 1, position ", detail);
        Assert.DoesNotContain("System.", detail);
        Assert.NotNull(problem["errors"]!["$.scope"]);
    }

    [Fact]
    public async Task LoadPage_MalformedJson_Returns400Problem()
    {
        var key = await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/pages/Home/load", key, "{ \"scope\": ");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is not valid JSON.", problem["title"]!.GetValue<string>());
        Assert.Contains("line 1", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_InSession_PassesActionAndArgsAndReturnsResult()
    {
        var key = await CreateAppWithKeyAsync("crm");
        var sessionId = await LoadAsync(key);

        var response = await SendAsync(HttpMethod.Post, $"/api/apps/crm/sessions/{sessionId}/run", key,
            """{ "action": "Auth_Module.getAccessToken", "args": [1, "two"] }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("two", body["result"]![1]!.GetValue<string>());
        Assert.False(body.ContainsKey("error"));
        Assert.Empty(body["actions"]!.AsArray());
        var run = Assert.Single(_factory.Runtime.Runs);
        Assert.Equal(("crm", sessionId, "Auth_Module.getAccessToken"), (run.App, run.SessionId, run.Action));
        Assert.Equal("[1,\"two\"]", run.ArgsJson);
    }

    [Fact]
    public async Task Run_WithoutArgs_PassesEmptyArray()
    {
        var key = await CreateAppWithKeyAsync("crm");
        var sessionId = await LoadAsync(key);

        await SendAsync(HttpMethod.Post, $"/api/apps/crm/sessions/{sessionId}/run", key, """{ "action": "JSObject1.fn" }""");

        Assert.Equal("[]", Assert.Single(_factory.Runtime.Runs).ArgsJson);
    }

    [Fact]
    public async Task Run_ScriptFails_ReturnsErrorWithKindAndNullResult()
    {
        var key = await CreateAppWithKeyAsync("crm");
        var sessionId = await LoadAsync(key);

        var response = await SendAsync(HttpMethod.Post, $"/api/apps/crm/sessions/{sessionId}/run", key, """{ "action": "Fail.now" }""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.True(body.ContainsKey("result"));
        Assert.Null(body["result"]);
        Assert.Equal("timeout", body["error"]!["kind"]!.GetValue<string>());
        Assert.False(body["error"]!["retriable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Run_UnknownSession_Returns404Problem()
    {
        var key = await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/sessions/expired/run", key, """{ "action": "JSObject1.fn" }""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Session not found.", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_InvalidActionAndArgs_Returns400ValidationProblemWithFieldPaths()
    {
        var key = await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/sessions/s-1/run", key, """{ "action": "a b", "args": {} }""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["action"]);
        Assert.NotNull(problem["errors"]!["args"]);
        Assert.Empty(_factory.Runtime.Runs);
    }

    [Fact]
    public async Task GetStore_WithScope_ReturnsAdminView()
    {
        await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Get, "/api/apps/crm/store?scope=alice", Admin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("eyJ***", (await JsonAsync(response))["authToken"]!.GetValue<string>());
        Assert.Equal(("crm", "alice"), Assert.Single(_factory.StoreView.Requests));
    }

    [Fact]
    public async Task GetStore_WithoutScope_UsesAppScope()
    {
        await CreateAppWithKeyAsync("crm");

        await SendAsync(HttpMethod.Get, "/api/apps/crm/store", Admin);

        Assert.Equal(("crm", "app"), Assert.Single(_factory.StoreView.Requests));
    }

    [Fact]
    public async Task GetStore_WithAppKey_Returns403Problem()
    {
        var key = await CreateAppWithKeyAsync("crm");

        var response = await SendAsync(HttpMethod.Get, "/api/apps/crm/store", key);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty(_factory.StoreView.Requests);
    }

    [Fact]
    public async Task GetStore_UnknownApp_Returns404Problem()
    {
        var response = await SendAsync(HttpMethod.Get, "/api/apps/nope/store", Admin);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        var response = await SendAsync(HttpMethod.Get, "/api/nothing-here", Admin);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListModules_EngineThrows_Returns500ProblemWithoutInternals()
    {
        _factory.Catalog.ListModulesFailure = new InvalidOperationException("connection string Password=hunter2");

        var response = await SendAsync(HttpMethod.Get, "/api/modules", Admin);

        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError);
        var text = problem.ToJsonString();
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("InvalidOperationException", text);
        Assert.NotNull(problem["traceId"]);
    }

    private async Task<string> CreateAppWithKeyAsync(string app)
    {
        await _factory.Repository.PutAppAsync(app, AppJson);
        var response = await SendAsync(HttpMethod.Post, $"/api/apps/{app}/keys", Admin);
        response.EnsureSuccessStatusCode();
        return (await JsonAsync(response))["key"]!.GetValue<string>();
    }

    private async Task<string> LoadAsync(string key)
    {
        var response = await SendAsync(HttpMethod.Post, "/api/apps/crm/pages/Home/load", key);
        response.EnsureSuccessStatusCode();
        return (await JsonAsync(response))["sessionId"]!.GetValue<string>();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? key, string? body = null) =>
        SendAsync(_client, method, url, key, body);

    internal static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? key, string? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (key is not null)
            request.Headers.Add("X-Api-Key", key);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return client.SendAsync(request);
    }

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        return problem;
    }
}
