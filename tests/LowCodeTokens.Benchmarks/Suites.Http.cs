using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static LowCodeTokens.Benchmarks.Report;

namespace LowCodeTokens.Benchmarks;

public static partial class Suites
{
    /// <summary>The figure users feel: a page load through the host's HTTP API (separate process) against the same direct GET.</summary>
    public static async Task HttpAsync(Report report)
    {
        await using var server = await BenchServer.StartAsync();
        await using var host = await BenchHost.StartAsync();
        using var admin = host.Admin();
        var module = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repo.Root, "definitions", "modules", "auth", "module.json")))!.AsObject();
        module["code"] = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "definitions", "modules", "auth", "main.js"));
        module.Remove("main");
        module.Remove("$schema");
        await Expect(admin.PutAsync($"/api/modules/Auth/versions/{module["version"]}", new StringContent(module.ToJsonString(), Encoding.UTF8, "application/json")));
        await Expect(admin.PutAsync("/api/apps/crm", new StringContent(BenchEngine.TokenApp("crm", server), Encoding.UTF8, "application/json")));
        var loadBody = new StringContent("{}", Encoding.UTF8, "application/json");
        await Expect(admin.PostAsync("/api/apps/crm/pages/Home/load", loadBody)); // compiles the app, fetches the token

        using var http = BenchServer.DirectClient();
        var url = server.UsersUrl;
        async Task<bool> Direct(int _)
        {
            using var r = await http.GetAsync(url);
            await r.Content.ReadAsByteArrayAsync();
            return r.IsSuccessStatusCode;
        }
        async Task<bool> Page(int _)
        {
            using var r = await admin.PostAsync("/api/apps/crm/pages/Home/load", new StringContent("{}", Encoding.UTF8, "application/json"));
            if (!r.IsSuccessStatusCode) return false;
            var body = await r.Content.ReadFromJsonAsync<JsonObject>();
            return body?["actions"] is JsonArray actions && actions.Count > 0 && actions.All(a => a?["status"]?.GetValue<string>() == "success");
        }

        // Steady state, as in pageload: the host process was just started and runs tier-0 code until the JIT has recompiled it.
        await Load.RunAsync(8, TimeSpan.FromSeconds(3), Page);
        await Load.RunAsync(8, TimeSpan.FromSeconds(1), Direct);

        var rows = new List<string[]>();
        var failures = 0;
        double overhead1 = double.NaN;
        foreach (var clients in new[] { 1, 8 })
        {
            var direct = await Load.RunAsync(clients, Point, Direct, Warmup);
            var page = await Load.RunAsync(clients, Point, Page, Warmup);
            failures += page.Failures + direct.Failures;
            var overhead = page.Latency.Median - direct.Latency.Median;
            if (clients == 1) overhead1 = overhead;
            rows.Add([clients.ToString(), "direct GET (baseline)", F(direct.Latency.Median), F(direct.Latency.P99), F(direct.PerSecond, 0), "", ""]);
            rows.Add([clients.ToString(), "page load over HTTP", F(page.Latency.Median), F(page.Latency.P99), F(page.PerSecond, 0),
                $"+{F(overhead)} ms ({F(page.Latency.Median / direct.Latency.Median)}×)", $"{F(page.PerSecond / direct.PerSecond * 100, 0)}%"]);
        }
        report.Section("http: a page load through the host's HTTP API",
            "The figure a user feels. The built host (`host/bin/Release`) runs as its own process on 127.0.0.1 (Production, SQLite, admin key); " +
            "the benchmark publishes the shipped Auth module and imports the *pageload* app through the API, loads the page once (token fetched), " +
            "then each of *clients* callers repeats `POST /api/apps/crm/pages/Home/load` (admin key, JSON body `{}`, response read and parsed) for 3 s " +
            "after 0.5 s warm-up (before the first level, 3 s of page loads and 1 s of GETs at 8 clients). Baseline: the same direct GET as *pageload*, measured right before. Both processes and the token/users server share the 2 cores.");
        report.Table(["clients", "figure", "p50 ms", "p99 ms", "per second", "p50 overhead", "throughput vs direct"], rows);
        if (failures > 0) report.Note($"**{failures} requests failed** during this suite.");
        report.Goal("page load over the HTTP API: p50 overhead over the direct GET (1 client), reported", $"+{F(overhead1)} ms", null);
    }

    private static async Task Expect(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
