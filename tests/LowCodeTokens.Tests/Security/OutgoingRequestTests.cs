using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Security;

/// <summary>Through the real host and engine: what outgoing queries carry and where they may go (issue 15, items 5, 6, 7, 13).</summary>
/// <remarks>Alone (<see cref="ListenerCollection"/>): one test asserts that nothing listens to the host's request activity.</remarks>
[Collection(ListenerCollection.Name)]
public sealed class OutgoingRequestTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-egress-").FullName;
    private TestApiServer _api = null!;
    private EngineHostFactory _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _api = await TestApiServer.StartAsync();
        _host = new EngineHostFactory(_dataDir);
        _admin = _host.Admin();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    private async Task ImportAsync(string appJson)
    {
        var name = JsonNode.Parse(appJson)!["name"]!.GetValue<string>();
        var imported = await _admin.PutAsync($"/api/apps/{name}", PageLoadEndToEndTests.Json(appJson));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> RunAsync(string app, string sessionId, string action, string argsJson)
    {
        var response = await _admin.PostAsync($"/api/apps/{app}/sessions/{sessionId}/run",
            PageLoadEndToEndTests.Json($$"""{ "action": "{{action}}", "args": {{argsJson}} }"""));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    // A page query without a datasource whose URL a viewer chooses: JSObject1.fetch(url) runs it with this.params.url.
    private static string OpenUrlApp(string name, string allowedHostsJson) => $$$"""
        { "name": "{{{name}}}", "allowedHosts": {{{allowedHostsJson}}},
          "pages": [ { "name": "Home",
            "queries": [ { "name": "anyUrl", "url": "{{this.params.url}}" } ],
            "jsObjects": [ { "name": "JSObject1", "code": "export default { fetch: (url) => anyUrl.run({ url }).then(d => JSON.stringify(d)) }" } ] } ] }
        """;

    private async Task<JsonNode> LoadAsync(string app, string body = "{}")
    {
        var response = await _admin.PostAsync($"/api/apps/{app}/pages/Home/load", PageLoadEndToEndTests.Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private string DatasourceApp(string name) => $$$"""
        { "name": "{{{name}}}",
          "datasources": [ { "name": "api", "baseUrl": "{{{_api.Url("")}}}" } ],
          "pages": [ { "name": "Home",
            "queries": [ { "name": "ping", "datasource": "api", "url": "/ping" } ],
            "widgets": [ { "name": "Text1", "type": "text", "text": "{{ping.data.ok}}" } ] } ] }
        """;

    [Fact]
    public async Task LoadPage_CallerSendsOneTraceparentForEveryLoad_EachLoadsQueriesCarryTheirOwnTraceId()
    {
        _api.MapJson("GET", "/ping", """{ "ok": 1 }""");
        await ImportAsync(DatasourceApp("alpha"));
        await ImportAsync(DatasourceApp("beta"));
        // A caller inside one long-lived activity (a tool, a gateway, a probe) sends the same trace context with every request;
        // had the host adopted it, every query of every app would carry that one trace id and the caller's baggage.
        const string callerTraceId = "0af7651916cd43dd8448eb211c80319c";
        _admin.DefaultRequestHeaders.Add("traceparent", $"00-{callerTraceId}-b7ad6b7169203331-01");
        _admin.DefaultRequestHeaders.Add("baggage", "viewer=chosen");

        await LoadAsync("alpha");
        await LoadAsync("beta");
        await LoadAsync("alpha");

        var requests = _api.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Null(r.Header("baggage")));
        // W3C traceparent: version-traceid-parentid-flags. Each page load is its own trace, or carries none.
        var traceIds = requests.Select(r => r.Header("traceparent")).Where(t => t is not null).Select(t => t!.Split('-')[1]).ToList();
        Assert.DoesNotContain(callerTraceId, traceIds);
        Assert.Equal(traceIds.Count, traceIds.Distinct().Count());
    }

    // What the page-load benchmark's telemetry comparison assumes of the host (its "host-like" rows): with telemetry off, the
    // default, a page load still runs under ASP.NET Core's request activity — hosting starts one for each request while logging is
    // on, listened to or not — so its queries take HttpClient's activity path and carry a traceparent. If this stops holding, that
    // comparison has to change with it.
    [Fact]
    public async Task LoadPage_WithTelemetryOff_RunsUnderTheRequestActivity_SoItsQueryCarriesATraceparent()
    {
        _api.MapJson("GET", "/ping", """{ "ok": 1 }""");
        await ImportAsync(DatasourceApp("alpha"));
        Assert.False(new System.Diagnostics.ActivitySource("Microsoft.AspNetCore").HasListeners());

        await LoadAsync("alpha");

        var traceparent = Assert.Single(_api.Requests).Header("traceparent");
        Assert.NotNull(traceparent);
        // version-traceid-parentid-flags; unsampled, the flags may still set W3C level 2's "random trace id" bit (02).
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", traceparent);
    }

    [Fact]
    public async Task RunAction_QueryWithoutDatasource_ReachesTheAppsAllowedHostsAndNothingElse()
    {
        await using var outside = await TestApiServer.StartAsync();
        _api.MapJson("GET", "/ping", """{ "ok": 1 }""");
        outside.MapJson("GET", "/ping", """{ "ok": 2 }""");
        await ImportAsync(OpenUrlApp("open", $"""["{_api.HostPort}"]"""));
        var session = (await LoadAsync("open"))["sessionId"]!.GetValue<string>();

        var allowed = await RunAsync("open", session, "JSObject1.fetch", $"""["{_api.Url("/ping")}"]""");
        var otherPort = await RunAsync("open", session, "JSObject1.fetch", $"""["{outside.Url("/ping")}"]""");
        // The host's own API: what a viewer reached before, with the answer of the host itself.
        var ownApi = await RunAsync("open", session, "JSObject1.fetch", """["http://localhost/api/apps"]""");

        Assert.Null(allowed["error"]);
        Assert.Equal("{\"ok\":1}", allowed["result"]!.GetValue<string>());
        Assert.Contains($"anyUrl may not reach {outside.HostPort}: it is not in the app's allowedHosts", otherPort["error"]!["message"]!.GetValue<string>());
        Assert.Contains("anyUrl may not reach localhost:80: it is not in the app's allowedHosts", ownApi["error"]!["message"]!.GetValue<string>());
        Assert.Empty(outside.Requests);
    }

    [Fact]
    public async Task RunAction_AppWithoutAllowedHosts_ItsQueriesWithoutDatasourceReachNothing()
    {
        _api.MapJson("GET", "/ping", """{ "ok": 1 }""");
        await ImportAsync(OpenUrlApp("closed", "[]"));
        var session = (await LoadAsync("closed"))["sessionId"]!.GetValue<string>();

        var run = await RunAsync("closed", session, "JSObject1.fetch", $"""["{_api.Url("/ping")}"]""");

        Assert.Contains("it is not in the app's allowedHosts", run["error"]!["message"]!.GetValue<string>());
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task LoadPage_ModuleTokenUrlNotInTheAppsAllowedHosts_RefusedWithoutRequest()
    {
        await using var oauth = await OAuthTestServer.StartNewAsync();
        var app = PageLoadEndToEndTests.SpecApp(oauth).Replace($"\"allowedHosts\": [\"{oauth.HostPort}\"],", "");
        Assert.DoesNotContain("\"allowedHosts\": [\"" + oauth.HostPort + "\"],", app);
        await PageLoadEndToEndTests.PublishAndImportAsync(_admin, app);

        var load = await LoadAsync("crm");

        var token = load["actions"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "Auth_Module.getAccessToken")!;
        Assert.Equal("error", token["status"]!.GetValue<string>());
        Assert.Contains($"may not reach {oauth.HostPort}: it is not in the app's allowedHosts", token["error"]!.GetValue<string>());
        Assert.Equal(0, oauth.TokenRequests);
    }

    [Fact]
    public async Task LoadPage_LoopbackNotAllowedByTheOperator_AllowedHostOnLoopbackRefused()
    {
        await using var strict = new EngineHostFactory(Directory.CreateTempSubdirectory("lct-egress-").FullName,
            settings: new Dictionary<string, string> { ["LowCodeTokens:Queries:AllowLoopback"] = "false" });
        var admin = strict.Admin();
        _api.MapJson("GET", "/ping", """{ "ok": 1 }""");
        var imported = await admin.PutAsync("/api/apps/alpha", PageLoadEndToEndTests.Json(DatasourceApp("alpha")));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        var load = JsonNode.Parse(await (await admin.PostAsync("/api/apps/alpha/pages/Home/load", PageLoadEndToEndTests.Json("{}"))).Content.ReadAsStringAsync())!;

        var ping = load["actions"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "ping")!;
        Assert.Equal("ping refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address (allowed only by LowCodeTokens:Queries:AllowLoopback), which queries may not reach. No request was sent.",
            ping["error"]!.GetValue<string>());
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task LoadPage_QueryToTheIPv4CompatibleFormOfTheMetadataAddress_Refused()
    {
        await ImportAsync("""
            { "name": "meta", "allowedHosts": ["[::a9fe:a9fe]"],
              "pages": [ { "name": "Home",
                "queries": [ { "name": "meta", "url": "http://[::a9fe:a9fe]/latest/meta-data/", "timeoutMs": 2000 } ],
                "widgets": [ { "name": "Text1", "type": "text", "text": "{{meta.data}}" } ] } ] }
            """);

        var load = await LoadAsync("meta");

        var meta = load["actions"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "meta")!;
        Assert.Equal("meta refused: [::169.254.169.254] resolves to ::169.254.169.254, a cloud metadata address, which queries may not reach. No request was sent.",
            meta["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task LoadPage_DatasourceHeadersAndRedirectToAnotherAllowedOrigin_SecondOriginGetsNoneOfThem()
    {
        await using var second = await TestApiServer.StartAsync();
        _api.MapRedirect("GET", "/users", second.Url("/users"));
        second.MapJson("GET", "/users", """{ "ok": 1 }""");
        await ImportAsync($$$"""
            { "name": "redir",
              "datasources": [ { "name": "api", "baseUrl": "{{{_api.Url("")}}}", "allowedHosts": ["{{{second.HostPort}}}"],
                                 "headers": { "X-Tenant-Key": "tenant-secret-1", "Cookie": "sid=cookie-secret-2" } } ],
              "pages": [ { "name": "Home",
                "queries": [ { "name": "users", "datasource": "api", "url": "/users", "headers": { "Authorization": "Bearer query-secret-3" } } ],
                "widgets": [ { "name": "Text1", "type": "text", "text": "{{users.data.ok}}" } ] } ] }
            """);

        var load = await LoadAsync("redir");

        Assert.Equal(1, load["widgets"]!["Text1"]!["text"]!.GetValue<int>());
        var first = Assert.Single(_api.Requests);
        Assert.Equal("Bearer query-secret-3", first.Header("Authorization"));
        Assert.Equal("tenant-secret-1", first.Header("X-Tenant-Key"));
        var landed = Assert.Single(second.Requests);
        Assert.DoesNotContain("secret", string.Join("\n", landed.Headers.Select(h => $"{h.Key}: {h.Value}")));
    }

    [Theory]
    [InlineData("http://api.example.com")]
    [InlineData("api.example.com/v1")]
    [InlineData("*.example.com")]
    [InlineData("user@api.example.com")]
    [InlineData("api.example.com:99999")]
    [InlineData("")]
    public async Task ImportApp_InvalidAllowedHostEntry_RejectedWithItsPath(string entry)
    {
        var response = await _admin.PutAsync("/api/apps/bad", PageLoadEndToEndTests.Json($$"""
            { "name": "bad", "allowedHosts": ["api.example.com:8443", "{{entry}}"], "pages": [ { "name": "Home" } ] }
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("allowedHosts[1]", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/apps/bad")).StatusCode);
    }
}
