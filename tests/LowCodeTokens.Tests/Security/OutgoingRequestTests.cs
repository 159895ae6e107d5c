using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Security;

/// <summary>Through the real host and engine: what outgoing queries carry and where they may go (issue 15, items 5, 6, 7, 13).</summary>
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
}
