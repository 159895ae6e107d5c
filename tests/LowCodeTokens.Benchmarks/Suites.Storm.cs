using System.Diagnostics;
using static LowCodeTokens.Benchmarks.Report;

namespace LowCodeTokens.Benchmarks;

public static partial class Suites
{
    /// <summary>N concurrent page loads right after the cached token expired: how many refresh requests reach the token server.</summary>
    public static async Task StormAsync(Report report)
    {
        await using var server = await BenchServer.StartAsync();
        server.TokenDelay = TimeSpan.FromMilliseconds(20);
        var time = new ShiftedTime();
        // Room for every load of the largest storm to hold a session at once: at the default cap (500 per app) the loads past the
        // 500th in flight are refused with 429 and a Retry-After, by design, and how many were in flight at once varied run by run
        // (0 to 500 refused at N = 1000 in back-to-back runs on 2026-12-03). The storm measures single flight, not the cap.
        await using var engine = BenchEngine.Create(o => { o.Scripting.MemoryLimitMb = 512; o.Sessions.MaxPerApp = 1000; }, time);
        await engine.PublishAuthAsync();
        await engine.ImportAsync(BenchEngine.TokenApp("crm", server));
        if (!BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync("crm", "Home", "app"))) throw new InvalidOperationException("the first page load failed");

        var rows = new List<string[]>();
        bool allOne = true;
        double p99At1000 = double.NaN;
        var errors = new List<string>();
        foreach (var n in new[] { 10, 100, 1000 })
        {
            time.Advance(TimeSpan.FromHours(2)); // past expires_in (1 h): every load finds an expired token
            server.ResetCounters();
            var latency = new Samples();
            int failed = 0;
            string? firstError = null;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var t0 = Stopwatch.GetTimestamp();
            var loads = Enumerable.Range(0, n).Select(_ => Task.Run(async () =>
            {
                await gate.Task;
                var t = Stopwatch.GetTimestamp();
                try
                {
                    var r = await engine.Runtime.LoadPageAsync("crm", "Home", "app");
                    if (!BenchEngine.AllSucceeded(r))
                    {
                        Interlocked.Increment(ref failed);
                        firstError ??= string.Join("; ", r.Actions.Where(a => a.Status != "success").Select(a => $"{a.Name}: {a.Error}"));
                    }
                }
                catch (Exception e) { Interlocked.Increment(ref failed); firstError ??= e.GetType().Name + ": " + e.Message; }
                latency.Add(Samples.Ms(t));
            })).ToArray();
            gate.SetResult();
            await Task.WhenAll(loads);
            var wall = Samples.Ms(t0);
            var refreshes = server.Grants("refresh_token");
            var fresh = server.Grants("client_credentials");
            allOne &= refreshes + fresh == 1 && failed == 0;
            if (n == 1000) p99At1000 = latency.P99;
            var before = Before.Storm[n];
            rows.Add([n.ToString(), refreshes.ToString(), fresh.ToString(), failed.ToString(), F(latency.Median, 1), F(latency.P99, 1), F(wall, 0),
                $"{before.Refreshes} refresh, p50 {F(before.P50, 1)}, p99 {F(before.P99, 1)}"]);
            if (firstError is not null) errors.Add($"N = {n}: {firstError}");
            await Task.Delay(TimeSpan.FromSeconds(1)); // let the previous storm's sessions start to expire
        }
        report.Section("storm: concurrent page loads with an expired token",
            "The token page of *pageload* (shipped Auth module; a token server in the benchmark process on 127.0.0.1 that answers after 20 ms to widen the " +
            "race window; `expires_in` 1 h). Before each N, the engine's clock (`TimeProvider`, which scripts' `Date` follows) jumps 2 h, so the cached " +
            "token has expired; then N page loads start at once. Counted at the token server. `Sessions:MaxPerApp` is 1000 here, so that all 1,000 loads may " +
            "hold a session at once: at the default 500, the loads past the 500th in flight are refused with 429 and a Retry-After (by design), and " +
            "how many were in flight at once varied from run to run (0 to 500 refused in back-to-back runs).");
        report.Table(["N", "refresh requests", "client_credentials requests", "failed loads", "p50 ms", "p99 ms", "wall ms", Before.Label], rows);
        foreach (var e in errors) report.Note("First failure at " + e.Replace("|", "\\|"));
        report.Goal("storm: token requests = 1 at N = 10, 100, 1000", allOne ? "1 at every N" : "see the storm table", allOne, "1 at every N");
        report.Goal("storm of 1,000 loads: p99 ≤ 1 s", $"{F(p99At1000, 0)} ms", p99At1000 <= 1000, "4339 ms");
    }
}
