using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace LowCodeTokens.Benchmarks;

/// <summary>Collects each suite's tables and the goals, and writes docs/benchmarks.md.</summary>
public sealed class Report
{
    private readonly StringBuilder _body = new();
    private readonly List<(string Goal, string Before, string Measured, bool? Met)> _goals = new();

    public static string F(double v, int digits = 2) => double.IsNaN(v) ? "n/a" : v.ToString("F" + digits, CultureInfo.InvariantCulture);

    public void Section(string title, string intro)
    {
        _body.AppendLine($"## {title}").AppendLine().AppendLine(intro).AppendLine();
        Console.WriteLine($"== {title}");
    }

    public void Table(string[] header, IEnumerable<string[]> rows)
    {
        _body.AppendLine("| " + string.Join(" | ", header) + " |");
        _body.AppendLine("|" + string.Join("|", header.Select(_ => "---")) + "|");
        foreach (var r in rows)
        {
            _body.AppendLine("| " + string.Join(" | ", r) + " |");
            Console.WriteLine("  " + string.Join("  ", r));
        }
        _body.AppendLine();
    }

    public void Note(string text) { _body.AppendLine(text).AppendLine(); Console.WriteLine("  " + text); }

    public void Goal(string goal, string measured, bool? met, string before = "")
    {
        _goals.Add((goal, before, measured, met));
        Console.WriteLine($"  goal: {goal}: {measured} → {(met is null ? "not measured" : met.Value ? "met" : "NOT met")}");
    }

    public async Task WriteAsync(string path, string command, TimeSpan total)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks").AppendLine();
        md.AppendLine($"Command: `{command}` (written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, total {total.TotalSeconds:F0} s).").AppendLine();
        md.AppendLine("Machine: " + await MachineAsync()).AppendLine();
        md.AppendLine("Latencies are in milliseconds: the median (p50) and the 99th percentile of every sample; never means. Each ratio is against a " +
                      "baseline measured in the same run, interleaved or right before. **These figures are noisy**: 2 cores serve the benchmark " +
                      "process (scripts run in it, in Jint), its servers and, for *http* and *coldstart*, a host process at once, plus whatever else ran " +
                      "(load average above), so absolute numbers wander by tens of percent between runs; the ratios are steadier, not exact. " +
                      $"*{Before.Label}* columns are the figures of the last run with the Node.js script host, copied from that report.").AppendLine();
        md.AppendLine("## Goals").AppendLine();
        md.AppendLine($"| Goal | {Before.Label} | Measured | Met |").AppendLine("|---|---|---|---|");
        foreach (var (goal, before, measured, met) in _goals)
            md.AppendLine($"| {goal} | {before} | {measured} | {(met is null ? "reported" : met.Value ? "yes" : "**no**")} |");
        md.AppendLine().Append(_body);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, md.ToString());
    }

    private static async Task<string> MachineAsync()
    {
        string mem = "?";
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            mem = $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 / 1024.0:F1} GB";
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException) { }
        string load = File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        string cpu = "?";
        try { cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"; }
        catch (IOException) { }
        await Task.CompletedTask;
        return $"{Environment.ProcessorCount} cores ({cpu}), {mem} memory, {RuntimeInformation.OSDescription}, " +
               $"{RuntimeInformation.FrameworkDescription}, Jint {typeof(Jint.Engine).Assembly.GetName().Version}, load average at the end {load}.";
    }
}
