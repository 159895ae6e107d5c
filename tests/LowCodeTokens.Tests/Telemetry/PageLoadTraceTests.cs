using System.Diagnostics;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Host;
using LowCodeTokens.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static LowCodeTokens.Tests.Host.PageLoadEndToEndTests;

namespace LowCodeTokens.Tests.Telemetry;

/// <summary>
/// Issue 13: one page load is one trace, page load → layer → action → query / module call → HTTP client, whose spans last
/// at least what the load's report says, and whose attributes hold no token, secret input, scope or query-string value.
/// </summary>
public sealed class PageLoadTraceTests : OAuthHostTest
{
    private const string App = "traced";
    private const string QueryValue = "query-string-value-4711";
    private readonly List<Activity> _spans = [];

    private protected override EngineHostFactory CreateHostFactory() =>
        new(DataDir, s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans)),
            new Dictionary<string, string> { ["LowCodeTokens:Telemetry:Traces"] = "true" });

    protected override async Task SetUpAsync()
    {
        OAuth.ClientSecret = "client-secret-" + Guid.NewGuid().ToString("N");
        var app = AuthApp.Definition(OAuth, name: App,
            page: p => p["queries"]![0]!["url"] = $"/api/users?page_token={QueryValue}");
        await ShippedAuthOverHttp.PublishAndImportAsync(Admin, app);
    }

    [Fact]
    public async Task LoadPage_OneTraceNestsPageLoadLayerActionQueryAndHttpClient_NoSecretInAnyAttribute()
    {
        var scope = "alice-" + Guid.NewGuid().ToString("N");
        var response = await Admin.PostAsync($"/api/apps/{App}/pages/Home/load", Json($$"""{ "scope": "{{scope}}" }"""));
        var load = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.All(load["actions"]!.AsArray(), a => Assert.Equal("success", a!["status"]!.GetValue<string>()));

        Activity[] spans;
        lock (_spans) spans = _spans.ToArray();
        var pageLoad = Assert.Single(spans, s => s.DisplayName == "page load" && (string?)s.GetTagItem("lowcodetokens.app") == App);
        var trace = spans.Where(s => s.TraceId == pageLoad.TraceId).ToList();
        Activity ChildOf(Activity parent, Func<Activity, bool> match) =>
            Assert.Single(trace, s => s.ParentSpanId == parent.SpanId && match(s));

        // Layer 1: the page query, its upstream request below it (the URL without its query string).
        var layer1 = ChildOf(pageLoad, s => s.DisplayName == "layer" && (int?)s.GetTagItem("lowcodetokens.layer") == 1);
        var usersAction = ChildOf(layer1, s => s.DisplayName == "action" && (string?)s.GetTagItem("lowcodetokens.action") == "getusers_API");
        var usersQuery = ChildOf(usersAction, s => s.DisplayName == "query" && (string?)s.GetTagItem("lowcodetokens.query") == "getusers_API");
        var usersHttp = ChildOf(usersQuery, s => s.Kind == ActivityKind.Client);
        Assert.Equal(OAuth.UsersUrl, usersHttp.GetTagItem("url.full"));

        // Layer 0: the module function, its token query and that query's request.
        var layer0 = ChildOf(pageLoad, s => s.DisplayName == "layer" && (int?)s.GetTagItem("lowcodetokens.layer") == 0);
        var tokenAction = ChildOf(layer0, s => s.DisplayName == "action" && (string?)s.GetTagItem("lowcodetokens.action") == "Auth_Module.getAccessToken");
        var moduleCall = ChildOf(tokenAction, s => s.DisplayName == "module call");
        var tokenQuery = ChildOf(moduleCall, s => s.DisplayName == "query" && (string?)s.GetTagItem("lowcodetokens.module") == "Auth_Module");
        ChildOf(tokenQuery, s => s.Kind == ActivityKind.Client);

        // The report's durations (SPEC §3) are inside their spans, and every span inside the page load's.
        var reported = load["actions"]!.AsArray().ToDictionary(a => a!["name"]!.GetValue<string>(), a => a!["durationMs"]!.GetValue<double>());
        Assert.InRange(reported["getusers_API"], 0, usersQuery.Duration.TotalMilliseconds + 1);
        Assert.InRange(reported["Auth_Module.getAccessToken"], 0, moduleCall.Duration.TotalMilliseconds + 1);
        Assert.All(trace.Where(s => s != pageLoad && s.ParentSpanId != default && s.Source.Name == "LowCodeTokens"), s =>
        {
            Assert.True(s.StartTimeUtc >= pageLoad.StartTimeUtc, s.DisplayName);
            Assert.True(s.StartTimeUtc + s.Duration <= pageLoad.StartTimeUtc + pageLoad.Duration + TimeSpan.FromMilliseconds(1), s.DisplayName);
        });

        // No attribute of any span of the trace (nor any span this host recorded) holds a token, secret, scope or query value.
        string[] forbidden = [.. OAuth.IssuedTokens, OAuth.ClientSecret, QueryValue, scope, EngineHostFactory.AdminKey];
        Assert.NotEmpty(OAuth.IssuedTokens);
        Assert.All(spans, s =>
        {
            var texts = s.TagObjects.Select(t => $"{t.Key}={t.Value}")
                .Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")))
                .Append(s.DisplayName);
            foreach (var text in texts)
                Assert.DoesNotContain(forbidden, f => text.Contains(f, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task LoadPage_CallerSendsATraceparent_WithTracingOnTheLoadStillStartsItsOwnTrace()
    {
        const string callerTrace = "0af7651916cd43dd8448eb211c80319c";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/apps/{App}/pages/Home/load") { Content = Json("{}") };
        request.Headers.Add("traceparent", $"00-{callerTrace}-b7ad6b7169203331-01");
        request.Headers.Add("baggage", "chosen=by-the-caller");
        Assert.True((await Admin.SendAsync(request)).IsSuccessStatusCode);

        Activity[] spans;
        lock (_spans) spans = _spans.ToArray();
        var pageLoad = Assert.Single(spans, s => s.DisplayName == "page load" && (string?)s.GetTagItem("lowcodetokens.app") == App);
        Assert.NotEqual(callerTrace, pageLoad.TraceId.ToHexString());
        Assert.DoesNotContain(spans, s => s.TraceId.ToHexString() == callerTrace);
        Assert.All(spans.Where(s => s.TraceId == pageLoad.TraceId), s => Assert.Empty(s.Baggage));
    }
}
