using System.Diagnostics;
using LowCodeTokens.Benchmarks;

// dotnet run -c Release --project tests/LowCodeTokens.Benchmarks -- [script pageload http storm coldstart memory growth] [--out path]
// -- serve: the crm app's upstream servers, printing the variables that point a host at them, until stdin closes
// -- profile [seconds] [alloc] [telemetry|metrics|tracing]: one caller's page loads in a loop (with telemetry: metrics and tracing on, in memory)
// -- profile telemetry-parts [clients] [bare]: each part of the telemetry on alone against off, in rotating rounds in one process,
//    page loads under a host-like request activity (bare: without)
// -- profile http-activity: what Activity.Current costs a direct GET (HttpClient's own activity and traceparent)
if (args is ["profile", "telemetry-parts", ..])
{
    await TelemetryParts.RunAsync(args.Length > 2 && args[2] != "bare" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 8,
        bare: args.Contains("bare"));
    return 0;
}
if (args is ["profile", "http-activity"])
{
    await HttpActivityCost.RunAsync();
    return 0;
}
if (args is ["profile", "session", ..])
{
    await Profiling.SessionOpenLoopAsync(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10);
    return 0;
}
if (args is ["serve", ..])
{
    // For profiling a production-like start by hand: the token server and users API the crm app needs, until stdin closes.
    await using var server = await BenchServer.StartAsync();
    Console.WriteLine($"LowCodeTokens__Definitions__Variables__DEMO_TOKEN_URL={server.BaseUrl}/token");
    Console.WriteLine($"LowCodeTokens__Definitions__Variables__DEMO_API_URL={server.BaseUrl}");
    Console.WriteLine($"LowCodeTokens__Definitions__Variables__DEMO_API_HOST={server.HostPort}");
    await Console.In.ReadToEndAsync();
    return 0;
}
if (args.Length > 0 && args[0] == "profile")
{
    await Profiling.PageLoadLoopAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10, args.Contains("alloc"),
        metrics: args.Contains("telemetry") || args.Contains("metrics"), tracing: args.Contains("telemetry") || args.Contains("tracing"));
    return 0;
}
// Memory first: measured after the other suites, its heap held their leftovers (11.6 MB at the baseline against 2.9 MB alone) and
// some of those went during the measurement, which once made "per app" −26 KB; alone it is a steady 56 KB.
var all = new[] { "memory", "script", "pageload", "http", "storm", "coldstart", "growth" };
var names = new List<string>();
string output = Path.Combine(Repo.Root, "docs", "benchmarks.md");
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--out" && i + 1 < args.Length) output = Path.GetFullPath(args[++i]);
    else if (all.Contains(args[i])) names.Add(args[i]);
    else { Console.Error.WriteLine($"unknown suite '{args[i]}'; suites: {string.Join(", ", all)}"); return 2; }
}
if (names.Count == 0) names.AddRange(all);

var report = new Report();
var started = Stopwatch.GetTimestamp();
foreach (var name in all.Where(names.Contains))
{
    var t0 = Stopwatch.GetTimestamp();
    await (name switch
    {
        "script" => Suites.ScriptAsync(report),
        "pageload" => Suites.PageLoadAsync(report),
        "http" => Suites.HttpAsync(report),
        "storm" => Suites.StormAsync(report),
        "coldstart" => Suites.ColdStartAsync(report),
        "memory" => Suites.MemoryAsync(report),
        _ => Suites.GrowthAsync(report),
    });
    Console.WriteLine($"   ({name}: {Stopwatch.GetElapsedTime(t0).TotalSeconds:F0} s)");
}
var command = "dotnet run -c Release --project tests/LowCodeTokens.Benchmarks --" + (args.Length == 0 ? "" : " " + string.Join(" ", args));
await report.WriteAsync(output, command, Stopwatch.GetElapsedTime(started));
Console.WriteLine($"wrote {output}");
return 0;
