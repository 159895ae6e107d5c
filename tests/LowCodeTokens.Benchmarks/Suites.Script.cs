using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Scripting;
using static LowCodeTokens.Benchmarks.Report;

namespace LowCodeTokens.Benchmarks;

public static partial class Suites
{
    /// <summary>Echo vs a sandboxed call vs a call awaiting 3 query runs (script → .NET → Kestrel → script), interleaved round by round.</summary>
    public static async Task ScriptAsync(Report report)
    {
        await using var server = await BenchServer.StartAsync();
        await using var engine = BenchEngine.Create();
        await engine.ImportAsync(new JsonObject
        {
            ["name"] = "bench",
            ["datasources"] = new JsonArray(new JsonObject { ["name"] = "api", ["baseUrl"] = server.BaseUrl, ["allowedHosts"] = new JsonArray(server.HostPort) }),
            ["pages"] = new JsonArray(new JsonObject
            {
                ["name"] = "Home",
                ["queries"] = new JsonArray(new JsonObject
                {
                    ["name"] = "users", ["datasource"] = "api", ["method"] = "GET", ["url"] = "/api/users",
                    ["headers"] = new JsonObject { ["Authorization"] = "JWT static-benchmark-token" },
                }),
                ["jsObjects"] = new JsonArray(new JsonObject
                {
                    ["name"] = "Bench",
                    ["code"] = "export default {\n  noop() { return 1; },\n  async three() { await users.run(); await users.run(); await users.run(); return users.data.results.length; }\n}",
                }),
            }),
        }.ToJsonString());
        var load = await engine.Runtime.LoadPageAsync("bench", "Home", "app");
        var opened = await engine.Runtime.RunAsync("bench", load.SessionId, "Bench.noop", "[]");
        if (opened?.Error is not null) throw new InvalidOperationException(opened.Error.Message);

        var host = engine.ScriptHost;
        var payload = JsonDocument.Parse("""{"ping":1}""").RootElement;
        ScriptInvocation Call(string fn) => new() { App = "bench", Session = load.SessionId, Path = ["Bench", fn] };
        var noop = Call("noop");
        var three = Call("three");
        using var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "JWT static-benchmark-token");

        async Task Get() { using var r = await http.GetAsync(server.BaseUrl + "/api/users"); await r.Content.ReadAsByteArrayAsync(); }
        async Task<bool> Invoke(ScriptInvocation inv)
        {
            var outcome = await host.InvokeAsync(inv);
            if (outcome.Error is not null) throw new InvalidOperationException(outcome.Error.Message);
            return true;
        }

        var echo = new Samples(); var call = new Samples(); var cb3 = new Samples(); var get3 = new Samples();
        async Task Round(bool record, bool slow)
        {
            var t = Stopwatch.GetTimestamp(); await host.EchoAsync(payload); if (record) echo.Add(Samples.Ms(t));
            t = Stopwatch.GetTimestamp(); await Invoke(noop); if (record) call.Add(Samples.Ms(t));
            if (!slow) return;
            t = Stopwatch.GetTimestamp(); await Invoke(three); if (record) cb3.Add(Samples.Ms(t));
            t = Stopwatch.GetTimestamp(); await Get(); await Get(); await Get(); if (record) get3.Add(Samples.Ms(t));
        }
        for (int i = 0; i < 300; i++) await Round(false, i % 3 == 0);
        for (int i = 0; i < 3000; i++) await Round(true, i % 5 == 0);

        report.Section("script: the script host's transport and sandbox",
            "One caller, sequential, interleaved round by round (echo, sandboxed call, and every 5th round the 3-callback call and 3 direct GETs). " +
            "*Echo*: `IScriptHost.EchoAsync` (stdio JSON-RPC round trip to Node's main thread). *Sandboxed call*: `IScriptHost.InvokeAsync` of " +
            "`Bench.noop()` (returns 1) in an open session (main thread → the app's worker → the session's vm context and back). " +
            "*3 host callbacks*: `Bench.three()` awaits `users.run()` three times: each is a script → .NET round trip in which the engine runs a " +
            "**query** against a Kestrel endpoint on 127.0.0.1 (real HTTP). *3 direct GETs*: the same three requests made by an HttpClient, " +
            "to separate the HTTP cost from the callback cost.");
        report.Table(["figure", "n", "p50 ms", "p99 ms", "p50 ratio to echo"],
        [
            ["transport echo (baseline)", echo.Count.ToString(), F(echo.Median, 3), F(echo.P99, 3), "1.00"],
            ["sandboxed call", call.Count.ToString(), F(call.Median, 3), F(call.P99, 3), F(call.Median / echo.Median)],
            ["call with 3 host callbacks (3 query runs)", cb3.Count.ToString(), F(cb3.Median, 3), F(cb3.P99, 3), F(cb3.Median / echo.Median)],
            ["3 direct HttpClient GETs (reference)", get3.Count.ToString(), F(get3.Median, 3), F(get3.P99, 3), F(get3.Median / echo.Median)],
        ]);
        report.Note($"Cost of the 3 callbacks beyond their HTTP requests: p50 {F(cb3.Median - get3.Median, 3)} ms, i.e. ~{F((cb3.Median - get3.Median) / 3, 3)} ms per script → .NET round trip.");
        var ratio = call.Median / echo.Median;
        report.Goal("sandboxed call ≤ 2.5× echo (p50)", $"{F(ratio)}× ({F(call.Median, 3)} vs {F(echo.Median, 3)} ms)", ratio <= 2.5);
    }
}
