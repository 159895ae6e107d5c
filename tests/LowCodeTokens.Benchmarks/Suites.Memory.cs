using System.Text.Json;
using static LowCodeTokens.Benchmarks.Report;

namespace LowCodeTokens.Benchmarks;

public static partial class Suites
{
    /// <summary>Script host RSS and .NET managed memory at 100 apps × 1 session, then 100 apps × 10 sessions.</summary>
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
            // 4 at a time: enough to overlap, few enough not to start 100 workers at once.
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

        double perApp = (rss1 - rss0) / (double)apps;
        double perSession = (rss2 - rss1) / (double)(apps * (sessionsPerApp - 1));
        double managedPerApp = (managed1 - managed0) / (double)apps;
        double managedPerSession = (managed2 - managed1) / (double)(apps * (sessionsPerApp - 1));
        report.Section("memory: per app and per idle session",
            $"{apps} apps (each: the shipped Auth module instance + one page with one query, as in *pageload*), imported, then one page load per app " +
            $"(= one session each, its worker started, a token fetched), then {sessionsPerApp - 1} more loads per app ({apps * sessionsPerApp} idle sessions in all; " +
            "each session has a vm context for the page and one for the module instance). Script host: `rss` from host.js's `stats` RPC (the whole Node " +
            "process, all workers); .NET: `GC.GetTotalMemory(forceFullCollection: true)`. Per app = (1 session per app − no app loaded) / 100; " +
            "per session = (10 per app − 1 per app) / 900. Node's workers are not forced to collect, so RSS figures include garbage not yet collected.");
        report.Table(["state", "Node RSS MB", ".NET managed MB"],
        [
            ["apps imported, none loaded (baseline)", F(rss0 / 1048576.0, 1), F(managed0 / 1048576.0, 1)],
            [$"{apps} apps × 1 session", F(rss1 / 1048576.0, 1), F(managed1 / 1048576.0, 1)],
            [$"{apps} apps × {sessionsPerApp} sessions", F(rss2 / 1048576.0, 1), F(managed2 / 1048576.0, 1)],
        ]);
        report.Table(["figure", "Node KB", ".NET KB", "total KB"],
        [
            ["per app (incl. its first session)", F(perApp / 1024, 0), F(managedPerApp / 1024, 0), F((perApp + managedPerApp) / 1024, 0)],
            ["per idle session", F(perSession / 1024, 0), F(managedPerSession / 1024, 0), F((perSession + managedPerSession) / 1024, 0)],
        ]);
        var sessionKb = (perSession + managedPerSession) / 1024;
        var appMb = (perApp + managedPerApp) / 1048576;
        report.Goal("≤ 300 KB per idle session", $"{F(sessionKb, 0)} KB", sessionKb <= 300);
        report.Goal("≤ 10 MB per app", $"{F(appMb, 1)} MB", appMb <= 10);
    }

    private static async Task<(long Rss, long Managed)> MeasureAsync(BenchEngine engine)
    {
        await Task.Delay(500);
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        return (Environment.WorkingSet, managed);
    }
}
