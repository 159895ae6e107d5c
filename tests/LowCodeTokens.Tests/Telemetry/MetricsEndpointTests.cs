using System.Net;
using System.Net.Http.Json;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Tokens;
using static LowCodeTokens.Tests.Host.PageLoadEndToEndTests;

namespace LowCodeTokens.Tests.Telemetry;

/// <summary>Issue 13: <c>/metrics</c> answers Prometheus text with the token metrics to the admin key, 401 to anyone else.</summary>
public sealed class MetricsEndpointTests : OAuthHostTest
{
    protected override Task SetUpAsync() => ShippedAuthOverHttp.PublishAndImportAsync(Admin, AuthApp.Definition(OAuth, name: "scraped"));

    [Fact]
    public async Task Metrics_WithAdminKey_PrometheusTextWithTokenMetrics_WithoutOrWithAppKey401()
    {
        var load = await Admin.PostAsync("/api/apps/scraped/pages/Home/load", Json("""{ "scope": "bob-scope-0123" }"""));
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);

        var response = await Admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE lowcodetokens_token_requests_total counter", text);
        Assert.Matches(@"lowcodetokens_token_requests_total\{[^}]*app=""scraped""[^}]*grant=""client_credentials""[^}]*outcome=""success""[^}]*\} 1", text);
        Assert.Contains("lowcodetokens_page_load_duration_seconds_bucket{", text);
        Assert.Contains("lowcodetokens_sessions_open", text);
        Assert.DoesNotContain("bob-scope-0123", text);
        Assert.DoesNotContain(OAuth.ClientSecret, text);

        var anonymous = HostFactory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        var key = (await (await Admin.PostAsync("/api/apps/scraped/keys", null)).Content.ReadFromJsonAsync<Dictionary<string, string>>())!["key"];
        var appClient = HostFactory.CreateClient();
        appClient.DefaultRequestHeaders.Add("X-Api-Key", key);
        var withAppKey = await appClient.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, withAppKey.StatusCode);
        Assert.DoesNotContain("lowcodetokens_", await withAppKey.Content.ReadAsStringAsync());
    }
}

/// <summary>An operator may open <c>/metrics</c> to scrapers without a key.</summary>
public sealed class OpenMetricsEndpointTests : OAuthHostTest
{
    private protected override EngineHostFactory CreateHostFactory() =>
        new(DataDir, settings: new Dictionary<string, string> { ["LowCodeTokens:Telemetry:MetricsOpen"] = "true" });

    [Fact]
    public async Task Metrics_ConfiguredOpen_AnswersWithoutAKey()
    {
        var response = await HostFactory.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("lowcodetokens_sessions_open", await response.Content.ReadAsStringAsync());
    }
}
