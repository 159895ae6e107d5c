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

    public static Samples Of(IEnumerable<double> ms)
    {
        var samples = new Samples();
        samples.AddRange(ms);
        return samples;
    }
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

/// <summary>One arm of an A/B comparison: what is switched on around its load (disposed after), and what its callers repeat.</summary>
public sealed record Arm(string Name, Func<IDisposable?> Enter, Func<int, Task<bool>> Operation);

/// <summary>Each round's figures of one arm: its p50 (ms), throughput (per second) and process CPU per operation (µs).</summary>
public sealed class ArmRounds
{
    public List<double> Latency { get; } = [];
    public List<double> PerSecond { get; } = [];
    public List<double> CpuPerOp { get; } = [];
}

/// <summary>
/// Arms compared in rotating rounds, in one process: each round runs every arm in turn, each arm taking each place in the order
/// over the rounds, so that the machine's drift (other processes, GC, tiering) falls on every arm alike.
/// </summary>
public static class Rounds
{
    /// <summary><see cref="Warm.UntilJitQuietAsync"/> over the arms, each with what it switches on, at <paramref name="clients"/>.</summary>
    public static Task<(TimeSpan Took, double LastTurnJitShare)> WarmAsync(IReadOnlyList<Arm> arms, int clients = 8) =>
        Warm.UntilJitQuietAsync(arms.Select(a => (Func<TimeSpan, Task>)(async d =>
        {
            using var on = a.Enter();
            await Load.RunAsync(clients, d, a.Operation);
        })).ToArray());

    /// <param name="warmup">Run before each measured run, with the arm's switches on (zero: none).</param>
    /// <param name="measured">Called after each measured run with the arm's index, what it switched on and the run's result.</param>
    public static async Task<ArmRounds[]> RunAsync(IReadOnlyList<Arm> arms, int rounds, int clients, TimeSpan duration, TimeSpan warmup,
        Action<int, IDisposable?, LoadResult>? measured = null)
    {
        var figures = arms.Select(_ => new ArmRounds()).ToArray();
        for (var round = 0; round < rounds; round++)
            for (var j = 0; j < arms.Count; j++)
            {
                var arm = (round + j) % arms.Count;
                using var on = arms[arm].Enter();
                if (warmup > TimeSpan.Zero) await Load.RunAsync(clients, warmup, arms[arm].Operation);
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var t0 = Stopwatch.GetTimestamp();
                var r = await Load.RunAsync(clients, duration, arms[arm].Operation);
                var operations = r.PerSecond * Stopwatch.GetElapsedTime(t0).TotalSeconds;
                figures[arm].CpuPerOp.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds / operations);
                figures[arm].Latency.Add(r.Latency.Median);
                figures[arm].PerSecond.Add(r.PerSecond);
                measured?.Invoke(arm, on, r);
            }
        return figures;
    }
}
