using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Telemetry;

/// <summary>
/// What the page-load benchmark's telemetry comparison assumes of the host: with telemetry off (the default), every page load
/// still runs under ASP.NET Core's request activity (started for each request while logging is on, even with no listener), so
/// its queries go through HttpClient's activity path and carry a <c>traceparent</c>. The benchmark runs its "off" page loads
/// under such an activity; if this stops holding, that comparison has to change with it.
/// </summary>
public sealed class RequestActivityTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-reqact-").FullName;
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

    [Fact]
    public async Task LoadPage_WithTelemetryOff_RunsUnderTheRequestActivity_SoItsQueryCarriesATraceparent()
    {
        _api.MapJson("GET", "/ping", """{ "ok": 1 }""");
        var app = $$"""
            { "name": "alpha", "datasources": [ { "name": "api", "baseUrl": "{{_api.Url("")}}" } ],
              "pages": [ { "name": "Home", "queries": [ { "name": "ping", "datasource": "api", "url": "/ping", "runOnPageLoad": true } ] } ] }
            """;
        Assert.True((await _admin.PutAsync("/api/apps/alpha", PageLoadEndToEndTests.Json(app))).IsSuccessStatusCode);
        // Nothing in this test process listens to the host's sources: the activity is the one hosting starts for logging.
        Assert.False(new ActivitySource("Microsoft.AspNetCore").HasListeners());

        var response = await _admin.PostAsync("/api/apps/alpha/pages/Home/load", PageLoadEndToEndTests.Json("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(_api.Requests);
        var traceparent = request.Header("traceparent");
        Assert.NotNull(traceparent);
        // version-traceid-parentid-flags; unsampled, the flags may still set W3C level 2's "random trace id" bit (02).
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$", traceparent);
    }
}
