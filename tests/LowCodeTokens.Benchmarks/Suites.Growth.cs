using System.Diagnostics;
using static LowCodeTokens.Benchmarks.Report;

namespace LowCodeTokens.Benchmarks;

public static partial class Suites
{
    /// <summary>Page loads per second as apps (1 → 1000) and queries per page (1 → 100) grow.</summary>
    public static async Task GrowthAsync(Report report)
    {
        const int clients = 8;
        await using var server = await BenchServer.StartAsync();
        await using var engine = BenchEngine.Create(o => o.Scripting.MemoryLimitMb = 512);
        await engine.PublishAuthAsync();

        int ready = 0;
        async Task GrowToAsync(int apps)
        {
            for (int a = ready; a < apps; a++) await engine.ImportAsync(BenchEngine.TokenApp($"g{a}", server));
            // First load per app: compiles it, fetches its token.
            await Parallel.ForEachAsync(Enumerable.Range(ready, apps - ready), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (a, _) =>
            {
                if (!BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync($"g{a}", "Home", "app"))) throw new InvalidOperationException($"g{a} failed");
            });
            ready = apps;
        }

        // Steady state first (one app, both ways its point is measured), so that the first point does not run colder code than the rest.
        var firstSetupStarted = Stopwatch.GetTimestamp();
        await GrowToAsync(1);
        var firstSetup = Stopwatch.GetElapsedTime(firstSetupStarted).TotalSeconds;
        int scopeTurn = 0;
        Task<bool> EightScopes(int _) => LoadAsync("g0", "s" + (uint)Interlocked.Increment(ref scopeTurn) % clients);
        Task<bool> OneScope(int _) => LoadAsync("g0", "app");
        async Task<bool> LoadAsync(string app, string scope) => BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync(app, "Home", scope));
        var warm = await Warm.UntilJitQuietAsync([d => Load.RunAsync(clients, d, EightScopes), d => Load.RunAsync(clients, d, OneScope)]);

        var appRows = new List<string[]>();
        double baseRate = double.NaN, worst = 1, oneScopeRate = double.NaN;
        string? skipped = null;
        double lastSetup = 0;
        long rssAfterSetup = 0;
        int previous = 0;
        foreach (var apps in new[] { 1, 10, 100, 1000 })
        {
            if (apps == 1000)
            {
                // Projected from the footprint right after the last setup (apps loaded once), not after a load phase's sessions.
                var rss = rssAfterSetup;
                var projectedGb = rss / (double)ready * apps / 1073741824;
                var availableGb = AvailableGb();
                var projectedSetup = lastSetup / Math.Max(1, ready - previous) * (apps - ready);
                if (projectedSetup > 420)
                {
                    skipped = $"1000 apps not run: setting up 900 more apps (import + first load) would take ~{F(projectedSetup, 0)} s here, past this suite's time budget.";
                    break;
                }
                if (projectedGb > availableGb * 0.85)
                {
                    skipped = $"1000 apps not run: they would need ~{F(projectedGb, 1)} GB ({F(rss / 1048576.0 / ready, 1)} MB per app at {ready} apps) and only {F(availableGb, 1)} GB are available on this shared machine.";
                    break;
                }
            }
            var t0 = Stopwatch.GetTimestamp();
            previous = ready;
            await GrowToAsync(apps);
            rssAfterSetup = GC.GetTotalMemory(forceFullCollection: true);
            lastSetup = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var setup = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            int next = 0;
            var r = await Load.RunAsync(clients, Point, async _ =>
            {
                var a = (int)((uint)Interlocked.Increment(ref next) % (uint)apps);
                return BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync($"g{a}", "Home", "app"));
            }, Warmup);
            if (apps == 1)
            {
                // The baseline spreads its loads over as many scopes as there are callers, as the other points spread theirs over
                // apps: with one scope, concurrent loads share one getAccessToken call (single flight), which N apps cannot.
                var spread = await Load.RunAsync(clients, Point, EightScopes, Warmup);
                baseRate = spread.PerSecond;
                oneScopeRate = r.PerSecond;
                appRows.Add(["1, loads over 8 scopes (baseline)", F(spread.PerSecond, 0), F(1.0), F(spread.Latency.Median), F(spread.Latency.P99),
                    spread.Failures.ToString(), F(firstSetup, 1), ""]);
                appRows.Add(["1, one scope", F(r.PerSecond, 0), F(r.PerSecond / baseRate), F(r.Latency.Median), F(r.Latency.P99), r.Failures.ToString(), "",
                    $"{F(Before.GrowthApps[apps], 0)}/s"]);
                continue;
            }
            worst = Math.Min(worst, r.PerSecond / baseRate);
            appRows.Add([apps.ToString(), F(r.PerSecond, 0), F(r.PerSecond / baseRate), F(r.Latency.Median), F(r.Latency.P99), r.Failures.ToString(), F(setup, 1),
                $"{F(Before.GrowthApps[apps], 0)}/s"]);
        }

        var queryRows = new List<string[]>();
        double baseQ = double.NaN;
        foreach (var queries in new[] { 1, 10, 100 })
        {
            await engine.ImportAsync(BenchEngine.TokenApp($"q{queries}", server, queries));
            if (!BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync($"q{queries}", "Home", "app"))) throw new InvalidOperationException($"q{queries} failed");
            var r = await Load.RunAsync(clients, Point, async _ => BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync($"q{queries}", "Home", "app")), Warmup);
            if (queries == 1) baseQ = r.PerSecond;
            queryRows.Add([queries.ToString(), F(r.PerSecond, 0), F(r.PerSecond / baseQ), F(r.PerSecond * queries, 0), F(r.Latency.Median), F(r.Latency.P99), r.Failures.ToString(),
                $"{F(Before.GrowthQueries[queries], 0)}/s"]);
        }

        report.Section("growth: page loads per second as apps and queries grow",
            $"{clients} concurrent callers of `IPageRuntime.LoadPageAsync`, 3 s per point after 0.5 s warm-up. Apps: copies of the *pageload* app, loads spread " +
            "round robin over them; every app was loaded once before its point (compiled, token cached); *setup s* is that import + first load. " +
            "The baseline is one app whose loads go round robin over 8 scopes (one per caller, each with its token cached), as the other points spread " +
            "theirs over apps: with a single scope, concurrent loads share one `getAccessToken` call (single flight), which loads of different apps " +
            $"cannot — that row is shown too. Before the first point, both ways of loading the one app ran in turns of 1 s until the JIT took at most " +
            $"1% of a turn ({F(warm.Took.TotalSeconds, 0)} s this run). " +
            "Queries: one app whose page runs 1, 10 or 100 `runOnPageLoad` queries, all with the token header (they run in parallel in one layer). " +
            "`Scripting:MemoryLimitMb` 512.");
        report.Table(["apps", "loads/s", "ratio to 1 app", "p50 ms", "p99 ms", "failed", "setup s", Before.Label], appRows);
        if (skipped is not null) report.Note(skipped);
        report.Table(["queries per page", "loads/s", "ratio to 1 query", "queries/s", "p50 ms", "p99 ms", "failed", Before.Label], queryRows);
        var top = appRows.Count > 2 ? appRows[^1][0] : "1";
        report.Goal("throughput flat (within 20%) from 1 to 1000 apps",
            $"lowest {F(worst * 100, 0)}% of 1 app over 8 scopes (up to {top} apps){(skipped is null ? "" : "; 1000 not run")}; " +
            $"1 app with one scope, single flight shared: {F(oneScopeRate / baseRate * 100, 0)}% of that baseline",
            skipped is null ? worst >= 0.8 : (worst >= 0.8 ? null : false), "lowest 88% (up to 1000 apps)");
    }

    private static double AvailableGb()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1048576.0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { return 4; }
    }
}
