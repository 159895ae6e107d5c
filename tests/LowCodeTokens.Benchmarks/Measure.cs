using System.Diagnostics;

namespace LowCodeTokens.Benchmarks;

/// <summary>Latency samples in milliseconds: median and p99 (nearest rank), never the mean.</summary>
public sealed class Samples
{
    private readonly List<double> _ms = new();
    public int Count => _ms.Count;
    public void Add(double ms) { lock (_ms) _ms.Add(ms); }
    public void AddRange(IEnumerable<double> ms) { lock (_ms) _ms.AddRange(ms); }
    public double Median => Percentile(50);
    public double P99 => Percentile(99);

    public double Percentile(double p)
    {
        lock (_ms)
        {
            if (_ms.Count == 0) return double.NaN;
            var sorted = _ms.ToArray();
            Array.Sort(sorted);
            var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }

    public static double Ms(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}

/// <summary>A closed-loop load: <c>clients</c> callers each repeat the operation until the duration is over.</summary>
public sealed record LoadResult(Samples Latency, double PerSecond, int Failures);

public static class Load
{
    public static async Task<LoadResult> RunAsync(int clients, TimeSpan duration, Func<int, Task<bool>> op, TimeSpan? warmup = null)
    {
        if (warmup is { } w && w > TimeSpan.Zero) await RunAsync(clients, w, op);
        var samples = new Samples();
        int failures = 0, count = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = new List<double>();
            for (int i = 0; Stopwatch.GetTimestamp() < end; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await op(c * 1_000_000 + i); } catch { ok = false; }
                mine.Add(Samples.Ms(t0));
                if (!ok) Interlocked.Increment(ref failures);
            }
            samples.AddRange(mine);
            Interlocked.Add(ref count, mine.Count);
        })).ToArray();
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new LoadResult(samples, count / elapsed, failures);
    }
}

/// <summary>
/// Warm-up to the steady state. Under load on this machine's 2 cores, tiered compilation takes ~15 s to finish (the JIT's
/// background thread shares the cores with the load: a cold page-load loop at 8 clients with telemetry on kept compiling
/// 400–1,100 methods a second, 150–800 ms of JIT time, for 15 s, then ~1 a second), so a fixed few seconds measure code still
/// at tier 0 or instrumented — and code that only one arm runs (OpenTelemetry's, for telemetry on) stays colder than the rest.
/// </summary>
public static class Warm
{
    /// <summary>
    /// Runs each load in turn for 1 s, until the JIT took at most 1% of a whole turn's time (<see cref="System.Runtime.JitInfo"/>),
    /// or <paramref name="max"/> has passed. Not "no method compiled": building a telemetry provider for a turn compiles a few
    /// small methods every time.
    /// </summary>
    /// <param name="loads">Each runs its load for the time it is given (with whatever it needs around it, such as telemetry on).</param>
    /// <returns>How long it took, and the JIT's share of the last turn.</returns>
    public static async Task<(TimeSpan Took, double LastTurnJitShare)> UntilJitQuietAsync(IReadOnlyList<Func<TimeSpan, Task>> loads, TimeSpan? max = null)
    {
        var end = Stopwatch.GetTimestamp() + (long)((max ?? TimeSpan.FromSeconds(60)).TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        double share;
        do
        {
            var jit = System.Runtime.JitInfo.GetCompilationTime();
            var turn = Stopwatch.GetTimestamp();
            foreach (var load in loads) await load(TimeSpan.FromSeconds(1));
            share = (System.Runtime.JitInfo.GetCompilationTime() - jit) / Stopwatch.GetElapsedTime(turn);
        }
        while (share > 0.01 && Stopwatch.GetTimestamp() < end);
        return (Stopwatch.GetElapsedTime(started), share);
    }
}
