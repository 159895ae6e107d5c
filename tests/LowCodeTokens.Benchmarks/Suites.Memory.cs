using System.Text.Json;
using static LowCodeTokens.Benchmarks.Report;

namespace LowCodeTokens.Benchmarks;

public static partial class Suites
{
    /// <summary>.NET heap (where scripts now live) at 100 apps × 1 session, then 100 apps × 10 sessions.</summary>
    public static async Task MemoryAsync(Report report)
    {
        const int apps = 100, sessionsPerApp = 10;
        await using var server = await BenchServer.StartAsync();
        await using var engine = BenchEngine.Create();
        await engine.PublishAuthAsync();
        for (int a = 0; a < apps; a++) await engine.ImportAsync(BenchEngine.TokenApp($"app{a}", server));

        var (rss0, managed0) = await MeasureAsync(engine);
        async Task LoadAllAsync()
        {
            // 4 at a time, as a few callers would.
            await Parallel.ForEachAsync(Enumerable.Range(0, apps), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (a, _) =>
            {
                if (!BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync($"app{a}", "Home", "app")))
                    throw new InvalidOperationException($"page load of app{a} failed");
            });
        }
        await LoadAllAsync();
        var (rss1, managed1) = await MeasureAsync(engine);
        for (int s = 1; s < sessionsPerApp; s++) await LoadAllAsync();
        var (rss2, managed2) = await MeasureAsync(engine);

        double managedPerApp = (managed1 - managed0) / (double)apps;
        double managedPerSession = (managed2 - managed1) / (double)(apps * (sessionsPerApp - 1));
        report.Section("memory: per app and per idle session",
            $"{apps} apps (each: the shipped Auth module instance + one page with one query, as in *pageload*), imported, then one page load per app " +
            $"(= one session each, the app compiled, a token fetched), then {sessionsPerApp - 1} more loads per app ({apps * sessionsPerApp} idle sessions in all; " +
            "each session has a Jint engine for the page and one for the module instance). Memory is what the .NET heap holds after a full collection " +
            "(`GC.GetTotalMemory(forceFullCollection: true)`) — scripts live there now; the process working set is shown for reference. " +
            $"Per app = (1 session per app − no app loaded) / {apps}, so it includes the app's first session; per session = (10 per app − 1 per app) / {apps * (sessionsPerApp - 1)}.");
        report.Table(["state", "process working set MB", ".NET heap MB"],
        [
            ["apps imported, none loaded (baseline)", F(rss0 / 1048576.0, 1), F(managed0 / 1048576.0, 1)],
            [$"{apps} apps × 1 session", F(rss1 / 1048576.0, 1), F(managed1 / 1048576.0, 1)],
            [$"{apps} apps × {sessionsPerApp} sessions", F(rss2 / 1048576.0, 1), F(managed2 / 1048576.0, 1)],
        ]);
        report.Table(["figure", "KB", Before.Label + " KB (Node RSS + .NET)"],
        [
            ["per app (incl. its first session)", F(managedPerApp / 1024, 0), F(Before.PerAppKb, 0)],
            ["per idle session", F(managedPerSession / 1024, 0), F(Before.PerSessionKb, 0)],
        ]);
        var sessionKb = managedPerSession / 1024;
        var appKb = managedPerApp / 1024;
        report.Goal("≤ 200 KB per app (with its first session)", $"{F(appKb, 0)} KB", appKb <= 200, "10.3 MB");
        report.Goal("≤ 60 KB per idle session", $"{F(sessionKb, 0)} KB", sessionKb <= 60, "117 KB");
    }

    private static async Task<(long Rss, long Managed)> MeasureAsync(BenchEngine engine)
    {
        await Task.Delay(500);
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        return (Environment.WorkingSet, managed);
    }
}
