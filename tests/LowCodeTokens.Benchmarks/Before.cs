namespace LowCodeTokens.Benchmarks;

/// <summary>
/// The figures of the last run with the Node.js script host (docs/benchmarks.md of 2026-11-21 22:46 UTC, same machine kind,
/// same suites), kept beside today's so that the engine change is visible. Copied, not measured by this run.
/// </summary>
public static class Before
{
    public const string Label = "before (Node script host, 2026-11-21)";

    /// <summary>Page load vs direct GET: (clients, figure) → (p50 ms, per second).</summary>
    public static readonly Dictionary<(int Clients, string Figure), (double P50, double PerSecond)> PageLoad = new()
    {
        [(1, "direct")] = (0.06, 13774), [(1, "page")] = (8.87, 92),
        [(8, "direct")] = (0.20, 37811), [(8, "page")] = (38.76, 157),
        [(64, "direct")] = (1.57, 37038), [(64, "page")] = (262.96, 186),
    };

    /// <summary>Storm: N → (refresh requests, p50 ms, p99 ms).</summary>
    public static readonly Dictionary<int, (int Refreshes, double P50, double P99)> Storm = new()
    {
        [10] = (1, 64.4, 65.2), [100] = (1, 478.8, 497.0), [1000] = (1, 4235.7, 4339.4),
    };

    public const double ColdStartHealthMs = 1400, ColdStartLoadMs = 1799;
    public const double PerAppKb = 10521, PerSessionKb = 117;

    /// <summary>Growth: apps → loads per second (8 clients).</summary>
    public static readonly Dictionary<int, double> GrowthApps = new() { [1] = 188, [10] = 189, [100] = 236, [1000] = 166 };
    public static readonly Dictionary<int, double> GrowthQueries = new() { [1] = 102, [10] = 91, [100] = 32 };
}
