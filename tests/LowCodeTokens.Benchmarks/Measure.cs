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
