using System.Diagnostics;
using System.Net;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace LowCodeTokens.Tests.Telemetry;

/// <summary>
/// Issue 13: the host takes the standard sampler variables (README: what sampling costs and saves), so an operator can trace a
/// share of the page loads: an unsampled page load records none of the engine's spans.
/// </summary>
/// <remarks>Alone (<see cref="ListenerCollection"/>): a parent-based sampler follows the request's sampling, which another test's
/// tracing host would decide while it runs.</remarks>
[Collection(ListenerCollection.Name)]
public sealed class TraceSamplingTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-sampling-").FullName;
    private TestApiServer _api = null!;

    public async Task InitializeAsync() => _api = await TestApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("always_off", null, false)]
    [InlineData("parentbased_traceidratio", "0", false)]
    [InlineData("parentbased_traceidratio", "1", true)]
    public async Task LoadPage_UnderTheConfiguredSampler_IsTracedOnlyWhenSampled(string? sampler, string? argument, bool traced)
    {
        var spans = new List<Activity>();
        var settings = new Dictionary<string, string> { ["LowCodeTokens:Telemetry:Traces"] = "true" };
        if (sampler is not null) settings["OTEL_TRACES_SAMPLER"] = sampler;
        if (argument is not null) settings["OTEL_TRACES_SAMPLER_ARG"] = argument;
        await using var host = new EngineHostFactory(_dataDir, s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)), settings);
        var admin = host.Admin();
        _api.MapJson("GET", "/ping", """{ "ok": 1 }""");
        var app = $$"""
            { "name": "sampled", "datasources": [ { "name": "api", "baseUrl": "{{_api.Url("")}}" } ],
              "pages": [ { "name": "Home", "queries": [ { "name": "ping", "datasource": "api", "url": "/ping", "runOnPageLoad": true } ] } ] }
            """;
        Assert.True((await admin.PutAsync("/api/apps/sampled", PageLoadEndToEndTests.Json(app))).IsSuccessStatusCode);

        var response = await admin.PostAsync("/api/apps/sampled/pages/Home/load", PageLoadEndToEndTests.Json("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_api.Requests);
        string[] recorded;
        lock (spans) recorded = spans.Where(s => s.Source.Name == "LowCodeTokens").Select(s => s.DisplayName).ToArray();
        if (traced) Assert.Contains("page load", recorded);
        else Assert.Empty(recorded);
    }
}
