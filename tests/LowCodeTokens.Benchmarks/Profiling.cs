using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace LowCodeTokens.Benchmarks;

/// <summary>
/// <c>-- profile [seconds] [alloc]</c>: page loads of the *pageload* app in a loop, one caller, then the time and allocations
/// per load and the GC counts; with <c>alloc</c>, also the allocated types (GC AllocationTick events, one per ~100 KB; the
/// listener slows the loop down several times, so leave it off for CPU profiles). Run it under <c>dotnet-trace collect</c>
/// for a CPU profile; docs/benchmarks.md says what it showed.
/// </summary>
public static class Profiling
{
    public static async Task PageLoadLoopAsync(int seconds, bool allocations, bool metrics = false, bool tracing = false)
    {
        await using var server = await BenchServer.StartAsync();
        await using var engine = BenchEngine.Create();
        await engine.PublishAuthAsync();
        await engine.ImportAsync(BenchEngine.TokenApp("crm", server));
        if (!BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync("crm", "Home", "app"))) throw new InvalidOperationException("the first page load failed");
        using var telemetry = metrics || tracing ? new TelemetryOn(metrics, tracing) : null;
        using var listener = allocations ? new AllocationListener() : null;
        var end = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        long n = 0;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var t0 = Stopwatch.GetTimestamp();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        while (Stopwatch.GetTimestamp() < end)
        {
            if (!BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync("crm", "Home", "app"))) throw new InvalidOperationException("a page load failed");
            n++;
        }
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        Console.WriteLine($"{n} page loads, {Stopwatch.GetElapsedTime(t0).TotalMicroseconds / n:F1} µs each ({cpu.TotalMicroseconds / n:F1} µs CPU), {(GC.GetTotalAllocatedBytes(precise: true) - before) / n} bytes allocated each");
        Console.WriteLine($"GCs: gen0 {GC.CollectionCount(0) - gcs.Item1}, gen1 {GC.CollectionCount(1) - gcs.Item2}, gen2 {GC.CollectionCount(2) - gcs.Item3}; pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms in all");
        if (telemetry is not null && telemetry.Spans.Count > 0)
        {
            // Where a page load's time goes: the median duration of each kind of span among the latest exported.
            Console.WriteLine("span medians (µs): " + string.Join(", ", telemetry.Spans.GroupBy(a => a.DisplayName).OrderByDescending(g => g.Count())
                .Select(g => $"{g.Key} {g.Select(a => a.Duration.TotalMicroseconds).Order().ElementAt(g.Count() / 2):F0} (×{g.Count()})")));
        }
        if (listener is null) return;
        listener.Stop();
        var total = listener.Bytes.Values.Sum();
        foreach (var (type, bytes) in listener.Bytes.OrderByDescending(x => x.Value).Take(30))
            Console.WriteLine($"{100.0 * bytes / total,5:F1}%  {type}");
    }

    /// <summary>
    /// <c>-- profile session [seconds]</c>: opens sessions of the *script* suite's page (both entities' engines built, code loaded)
    /// in a loop, one caller, for a CPU profile of what a new session costs.
    /// </summary>
    public static async Task SessionOpenLoopAsync(int seconds)
    {
        await using var bench = await ScriptBench.CreateAsync();
        var end = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        long n = 0;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var t0 = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < end)
        {
            using (var session = bench.OpenSession()) await ScriptBench.OpenAsync(session);
            if (++n % 20000 == 0) Console.WriteLine($"{n}: {Stopwatch.GetElapsedTime(t0).TotalSeconds:F1} s");
        }
        Console.WriteLine($"{n} sessions opened, {Stopwatch.GetElapsedTime(t0).TotalMicroseconds / n:F1} µs each, {(GC.GetTotalAllocatedBytes(precise: true) - before) / n} bytes allocated each");
    }

    /// <summary>Allocated bytes by type, from the runtime's sampled AllocationTick events.</summary>
    private sealed class AllocationListener : EventListener
    {
        private volatile bool _on = true;
        public ConcurrentDictionary<string, long> Bytes { get; } = new();

        public void Stop() => _on = false;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (!_on || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.PayloadNames is null) return;
            var type = e.PayloadNames.IndexOf("TypeName");
            var amount = e.PayloadNames.IndexOf("AllocationAmount64");
            if (type < 0 || amount < 0) return;
            var bytes = (long)(ulong)e.Payload![amount]!;
            Bytes.AddOrUpdate((string)e.Payload[type]!, bytes, (_, v) => v + bytes);
        }
    }
}



/// <summary>
/// <c>-- profile telemetry-parts [clients] [bare]</c>: the page load, under a host-like request activity (<see cref="HostRequest"/>;
/// <c>bare</c>: none), with each part of the telemetry on alone (the meter; spans dropped; spans exported to memory; spans with the
/// HTTP client's) and all of it, against all off, in one process: a warm-up that runs every arm in turn until tiered compilation
/// has finished (<see cref="Warm"/>), then 8 rounds in which each arm runs 1 s in turn, rotating the order.
/// Prints each arm's median of the rounds' p50s and process CPU per load against off.
/// </summary>
public static class TelemetryParts
{
    private static readonly (string Name, Func<TelemetryOn?> Make)[] Arms =
    [
        ("off", () => null),
        ("metrics", () => new TelemetryOn(tracing: false)),
        ("spans, dropped", () => new TelemetryOn(metrics: false, httpClient: false, export: false)),
        ("spans, exported", () => new TelemetryOn(metrics: false, httpClient: false)),
        ("spans + HTTP client, dropped", () => new TelemetryOn(metrics: false, export: false)),
        ("all (the suite's on)", () => new TelemetryOn()),
        ("all, a tenth of loads traced", () => new TelemetryOn(sampled: 0.1)),
    ];

    public static async Task RunAsync(int clients, bool bare)
    {
        await using var server = await BenchServer.StartAsync();
        await using var engine = BenchEngine.Create(o => o.Scripting.MemoryLimitMb = 512);
        await engine.PublishAuthAsync();
        await engine.ImportAsync(BenchEngine.TokenApp("crm", server));
        async Task<bool> Page(int _)
        {
            using var request = bare ? null : HostRequest.Start();
            return BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync("crm", "Home", "app"));
        }
        var arms = Arms.Select(a => new Arm(a.Name, a.Make, Page)).ToArray();
        var warm = await Rounds.WarmAsync(arms);
        Console.WriteLine($"warm after {warm.Took.TotalSeconds:F0} s (the JIT took {warm.LastTurnJitShare:P1} of the last turn)");
        var figures = await Rounds.RunAsync(arms, rounds: 8, clients, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(300));
        var (offLatency, offCpu) = (Samples.Of(figures[0].Latency).Median, Samples.Of(figures[0].CpuPerOp).Median);
        for (var arm = 0; arm < arms.Length; arm++)
        {
            var (latency, cpu) = (Samples.Of(figures[arm].Latency).Median, Samples.Of(figures[arm].CpuPerOp).Median);
            Console.WriteLine($"{clients} clients{(bare ? " bare" : "")}  {arms[arm].Name,-30} p50 {latency:F3} ms ({latency / offLatency - 1:+0.0%;-0.0%})  " +
                $"CPU/load {cpu:F0} µs ({cpu / offCpu - 1:+0.0%;-0.0%})");
        }
    }
}

/// <summary>
/// <c>-- profile http-activity</c>: what an ambient activity costs an HTTP request by itself. A direct GET to the bench server at 8
/// clients, plain, with a <c>traceparent</c> header set by hand, and sent while <c>Activity.Current</c> is set (nobody listening:
/// HttpClient then starts an activity of its own and writes the header), in rotating rounds; prints p50 and CPU per request.
/// </summary>
public static class HttpActivityCost
{
    public static async Task RunAsync()
    {
        await using var server = await BenchServer.StartAsync();
        using var http = BenchServer.DirectClient();
        var url = server.UsersUrl;
        async Task<bool> Send(HttpRequestMessage request)
        {
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode;
        }
        Arm[] arms =
        [
            new("plain", () => null, _ => Send(new HttpRequestMessage(HttpMethod.Get, url))),
            new("traceparent set by hand", () => null, _ =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
                return Send(request);
            }),
            new("under Activity.Current", () => null, async _ =>
            {
                using var ambient = new Activity("ambient").Start();
                return await Send(new HttpRequestMessage(HttpMethod.Get, url));
            }),
        ];
        foreach (var arm in arms) await Load.RunAsync(8, TimeSpan.FromSeconds(1), arm.Operation);
        var figures = await Rounds.RunAsync(arms, rounds: 10, clients: 8, TimeSpan.FromMilliseconds(700), TimeSpan.Zero, (_, _, r) =>
        {
            if (r.Failures > 0) throw new InvalidOperationException($"{r.Failures} requests failed");
        });
        var plainCpu = Samples.Of(figures[0].CpuPerOp).Median;
        for (var arm = 0; arm < arms.Length; arm++)
        {
            var (latency, cpu) = (Samples.Of(figures[arm].Latency).Median, Samples.Of(figures[arm].CpuPerOp).Median);
            Console.WriteLine($"{arms[arm].Name,-24} p50 {latency * 1000:F0} µs  CPU/request {cpu:F1} µs ({cpu / plainCpu - 1:+0.0%;-0.0%})");
        }
    }
}
