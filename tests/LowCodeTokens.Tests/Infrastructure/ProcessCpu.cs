using System.Diagnostics;

namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>
/// CPU time of this test process, for wall-clock-bound tests: they wait until the host is quiet before they time anything,
/// and bound what it burns after a call.
/// </summary>
public static class ProcessCpu
{
    private static readonly TimeSpan QuietWindow = TimeSpan.FromMilliseconds(250);
    // The runtime's tiered-JIT worker, as Linux names it in /proc (thread names are cut at 15 characters).
    private const string TieredJitThread = ".NET Tiered Com";

    /// <summary>CPU time the process uses during <paramref name="window"/>, every thread included.</summary>
    public static async Task<TimeSpan> UsedOverAsync(TimeSpan window)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        await Task.Delay(window);
        process.Refresh();
        return process.TotalProcessorTime - before;
    }

    /// <summary>
    /// CPU time the process uses during <paramref name="window"/> for anything but recompiling code: the runtime's tiered JIT
    /// recompiles what earlier tests made hot in bursts of seconds (measured: a whole core for 4-5 s after the parallel
    /// tests, on its own thread), which is the runtime's housekeeping, not work of the code under test. Where threads have no
    /// names to tell it by (not Linux), nothing is left out.
    /// </summary>
    public static async Task<TimeSpan> UsedWithoutJitOverAsync(TimeSpan window)
    {
        var jitBefore = TieredJitTicks();
        var used = await UsedOverAsync(window);
        var jit = TieredJitTicks() - jitBefore;
        // /proc counts in clock ticks of 10 ms (USER_HZ = 100), so the difference is ±10 ms.
        return TimeSpan.FromTicks(Math.Max(0, (used - TimeSpan.FromMilliseconds(jit * 10)).Ticks));
    }

    /// <summary>
    /// Waits, at most <paramref name="timeout"/>, until the process uses less than a quarter of a core over 250 ms; returns
    /// how long that took, so that a timed test measures the engine rather than the runtime's leftovers of earlier tests.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilQuietAsync(TimeSpan timeout)
    {
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < timeout && await UsedOverAsync(QuietWindow) >= QuietWindow / 4)
        {
        }
        return waiting.Elapsed;
    }

    private static long TieredJitTicks()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        long ticks = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                // pid (comm) state ppid … utime stime …: utime and stime are the 12th and 13th fields after the name.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var close = stat.LastIndexOf(')');
                if (stat[(stat.IndexOf('(') + 1)..close] != TieredJitThread) continue;
                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }
        return ticks;
    }
}
