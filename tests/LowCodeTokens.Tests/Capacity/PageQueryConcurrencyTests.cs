using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using LowCodeTokens.Tests.EngineTests;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Capacity;

/// <summary>Issue 15 item 12: one page's queries reach their upstream at most Queries:MaxConcurrentPerPage at a time.</summary>
public sealed class PageQueryConcurrencyTests
{
    [Fact]
    public async Task LoadPage_ManyQueriesInOneLayer_UpstreamSeesAtMostTheCapInFlightAndEveryQueryRuns()
    {
        const int queries = 40;
        const int cap = 4;
        await using var upstream = await TestApiServer.StartAsync();
        int inFlight = 0, maxInFlight = 0;
        upstream.Map("GET", "/slow", async context =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            try
            {
                await Task.Delay(100, context.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"ok":true}""", context.RequestAborted);
        });
        var queriesJson = new JsonArray(Enumerable.Range(0, queries).Select(i => (JsonNode)new JsonObject
        {
            ["name"] = $"q{i}", ["datasource"] = "api", ["method"] = "GET", ["url"] = "/slow", ["runOnPageLoad"] = true,
        }).ToArray()).ToJsonString();

        await using var app = await ScriptApp.StartAsync("export default { f: () => 1 }", queriesJson,
            engine: EngineHarness.Create(o => o.Queries.MaxConcurrentPerPage = cap), datasourceBaseUrl: upstream.BaseUri.ToString());

        // None is dropped: every query ran once and succeeded; and never more than the cap were in flight at once.
        Assert.Equal(queries, app.Load.Actions.Count(a => a.Kind == "query" && a.Status == "success"));
        Assert.Equal(queries, upstream.Requests.Count);
        Assert.Equal(cap, maxInFlight);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
