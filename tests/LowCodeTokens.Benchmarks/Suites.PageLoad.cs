using System.Diagnostics;
using static LowCodeTokens.Benchmarks.Report;

namespace LowCodeTokens.Benchmarks;

public static partial class Suites
{
    private static readonly TimeSpan Point = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(500);

    /// <summary>Page load (cached token + one query) through IPageRuntime vs a direct HttpClient GET with a static header.</summary>
    public static async Task PageLoadAsync(Report report)
    {
        await using var server = await BenchServer.StartAsync();
        await using var engine = BenchEngine.Create(o => o.Scripting.MemoryLimitMb = 512);
        await engine.PublishAuthAsync();
        await engine.ImportAsync(BenchEngine.TokenApp("crm", server));
        var first = await engine.Runtime.LoadPageAsync("crm", "Home", "app");
        if (!BenchEngine.AllSucceeded(first)) throw new InvalidOperationException("the first page load failed");
        // From the store: what page loads return is masked, and a masked token would make the baseline a string of 401s.
        var token = System.Text.Json.JsonSerializer.Deserialize<string>((await engine.Store.ReadAsync("crm", "app")).Values["authAccessToken"])!;

        using var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "JWT " + token);
        var url = server.BaseUrl + "/api/users";
        using (var check = await http.GetAsync(server.BaseUrl + "/api/users"))
            if (!check.IsSuccessStatusCode) throw new InvalidOperationException($"the baseline GET is answered {(int)check.StatusCode}");
        async Task<bool> Direct(int _)
        {
            using var r = await http.GetAsync(url);
            await r.Content.ReadAsByteArrayAsync();
            return r.IsSuccessStatusCode;
        }
        async Task<bool> Page(int _) => BenchEngine.AllSucceeded(await engine.Runtime.LoadPageAsync("crm", "Home", "app"));

        // Steady state: the first seconds after start-up run tier-0 code while the JIT recompiles the hot paths.
        await Load.RunAsync(8, TimeSpan.FromSeconds(3), Page);
        await Load.RunAsync(8, TimeSpan.FromSeconds(1), Direct);

        var rows = new List<string[]>();
        double overhead1 = double.NaN, minShare = double.MaxValue;
        var failures = 0;
        foreach (var clients in new[] { 1, 8, 64 })
        {
            var direct = await Load.RunAsync(clients, Point, Direct, Warmup);
            var page = await Load.RunAsync(clients, Point, Page, Warmup);
            failures += page.Failures + direct.Failures;
            var overhead = page.Latency.Median - direct.Latency.Median;
            var share = page.PerSecond / direct.PerSecond;
            if (clients == 1) overhead1 = overhead;
            minShare = Math.Min(minShare, share);
            var (bd, bp) = (Before.PageLoad[(clients, "direct")], Before.PageLoad[(clients, "page")]);
            rows.Add([clients.ToString(), "direct GET (baseline)", F(direct.Latency.Median), F(direct.Latency.P99), F(direct.PerSecond, 0), "", "",
                $"{F(bd.P50)} ms, {F(bd.PerSecond, 0)}/s"]);
            rows.Add([clients.ToString(), "page load", F(page.Latency.Median), F(page.Latency.P99), F(page.PerSecond, 0),
                $"+{F(overhead)} ms ({F(page.Latency.Median / direct.Latency.Median)}×)", $"{F(share * 100, 0)}%",
                $"{F(bp.P50)} ms, {F(bp.PerSecond, 0)}/s ({F(bp.PerSecond / bd.PerSecond * 100, 0)}%)"]);
        }
        report.Section("pageload: a page load against a direct GET",
            "Closed loop: each of *clients* callers repeats its request for 3 s (after 0.5 s warm-up; before the first level, 3 s of page loads and 1 s of " +
            "GETs at 8 clients, so that tiered compilation has finished); baseline and page load measured back to back at each level. " +
            "*Direct GET*: `HttpClient.GetAsync` of `http://127.0.0.1:…/api/users` with a static `Authorization: JWT …` header. " +
            "*Page load*: `IPageRuntime.LoadPageAsync` in-process (no host HTTP) of a page with one `runOnPageLoad` query to the same URL whose header is " +
            "`JWT {{Auth_Module.getAccessToken.data}}` (the shipped Auth module, token cached in the store): a new session (a Jint engine for the page " +
            "and one for the module instance, which runs main.js), `getAccessToken` (single-flighted), the query, the store reads, redaction of the result. " +
            "Setting: `Scripting:MemoryLimitMb` 512; every page load opens a session, and the engine keeps at most 500 open per app (least recently used closed first).");
        report.Table(["clients", "figure", "p50 ms", "p99 ms", "per second", "p50 overhead", "throughput vs direct", Before.Label], rows);
        failures += await TelemetryOverheadAsync(report, Page);
        if (failures > 0) report.Note($"**{failures} requests failed** during this suite.");
        report.Goal("page-load p50 overhead ≤ 0.5 ms over the direct GET (1 client)", $"+{F(overhead1)} ms", overhead1 <= 0.5, "+8.81 ms");
        report.Goal("page-load throughput ≥ 20% of the direct GET (1, 8, 64 clients)", $"lowest {F(minShare * 100, 0)}%", minShare >= 0.2, "lowest 0%");
    }

    /// <summary>
    /// The same page load with metrics and tracing off and on, alternating in short rounds so that the machine's drift
    /// (other processes, GC, tiering) falls on both alike; the figure is the median of the rounds' medians.
    /// </summary>
    private static async Task<int> TelemetryOverheadAsync(Report report, Func<int, Task<bool>> page)
    {
        const int rounds = 6;
        var round = TimeSpan.FromSeconds(1);
        var rows = new List<string[]>();
        var (worst, failures, spans) = (0.0, 0, 0L);
        foreach (var clients in new[] { 1, 8, 64 })
        {
            var (off, on, offRate, onRate) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            var (offCpu, onCpu) = (new List<double>(), new List<double>());
            for (var i = 0; i < rounds; i++)
            {
                // Off first in even rounds, on first in odd ones.
                foreach (var telemetryOn in i % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    using var telemetry = telemetryOn ? new TelemetryOn() : null;
                    await Load.RunAsync(clients, TimeSpan.FromMilliseconds(300), page);
                    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                    var t0 = Stopwatch.GetTimestamp();
                    var r = await Load.RunAsync(clients, round, page);
                    var loads = r.PerSecond * Stopwatch.GetElapsedTime(t0).TotalSeconds;
                    (telemetryOn ? onCpu : offCpu).Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds / loads);
                    failures += r.Failures;
                    (telemetryOn ? on : off).Add(r.Latency.Median);
                    (telemetryOn ? onRate : offRate).Add(r.PerSecond);
                    if (telemetry is not null) spans += telemetry.Spans.Added;
                }
            }
            var ratio = Median(on) / Median(off);
            var cpuRatio = Median(onCpu) / Median(offCpu);
            worst = Math.Max(worst, ratio);
            rows.Add([clients.ToString(), F(Median(off)), F(Median(on)), Percent(ratio), F(Median(offRate), 0), F(Median(onRate), 0),
                F(Median(offCpu), 0), F(Median(onCpu), 0), Percent(cpuRatio)]);
        }
        report.Section("pageload: metrics and tracing on against off",
            "The page load above with telemetry *off* (nobody listens to the engine's meter or ActivitySource, the default without OTLP) and *on* " +
            "(an OpenTelemetry SDK `MeterProvider` on the `LowCodeTokens` meter and a `TracerProvider` on its ActivitySource plus the HTTP client " +
            "instrumentation, both exporting in memory: every metric collected, every span exported, the latest 1,000 kept). At each level " +
            $"{rounds} rounds of each, alternating, 1 s after 0.3 s warm-up; the figures are medians of the rounds' p50s, throughputs and process CPU " +
            $"time per load ({spans:N0} spans exported).");
        report.Table(["clients", "off p50 ms", "on p50 ms", "p50 on vs off", "off per second", "on per second", "off CPU µs/load", "on CPU µs/load", "CPU on vs off"], rows);
        report.Note(
            "What the profiles showed (`-- profile 8 alloc telemetry` against `-- profile 8 alloc`; `dotnet-trace collect --profile dotnet-sampled-thread-time` of " +
            "both, `dotnet-trace report … topN --inclusive`): a page load with a cached token makes 9 spans (page load, 2 layers, 2 actions, the module call, the " +
            "query, the HTTP client span, and the query inside the module call when a token is fetched) and ~7 histogram measurements. Allocation per load rose " +
            "from 159 KB to 164–166 KB (+3–4%; `Activity` objects are 0.9% of the bytes allocated). In the CPU samples, " +
            "`ActivitySource.StartActivity`/`Activity.Start`/`Stop`/`SetTag` together were ~0.4% of all samples against 3.8% for `PageRuntime.LoadPageAsync` " +
            "inclusive, and `HttpClient`'s `DiagnosticsHandler` (which creates the HTTP client span and writes `traceparent`) grew from 1.0% to 1.7%. The in-memory " +
            "exporter itself costs: `AddInMemoryExporter` exports each span synchronously under a lock (contended at 8 and 64 clients); exporting through the batch " +
            "processor instead, as OTLP does, measured worse here (+10% to +52% p50, its exporter thread copying ~36,000 spans per second). What would bring \"on\" " +
            "within 5%: sampling (`OTEL_TRACES_SAMPLER=parentbased_traceidratio`, `OTEL_TRACES_SAMPLER_ARG=0.1`: metrics stay exact, a tenth of the page loads are " +
            "traced) — not measured here; and a quiet machine to tell a 5% difference from the noise at all. Runs with only the meter on were as noisy (−7% to +45% " +
            "p50), so the share of metrics and of spans could not be told apart. A second look on a quiet machine (2026-12-03, `dotnet-trace collect -- dotnet " +
            "LowCodeTokens.Benchmarks.dll profile 12 telemetry` against the same without `telemetry`, CPU samples compared by exclusive share): the finalizer " +
            "thread ran `DynamicResolver+DestroyScout.Finalize` for ~6.5% of all CPU with telemetry on and never with it off (scouts of collected dynamic methods " +
            "re-registering at every GC), the largest single difference in the samples; the `Activity` calls themselves stayed ~2% of CPU. A runtime event listener " +
            "then counted the methods JIT-compiled during that loop: none were dynamic methods (only P/Invoke stubs), so those finalizers belong to dynamic methods " +
            "made at setup and are probably a sampling artefact, not per-load work. The loop alone: 1023 µs and 1628 µs CPU per load on against 910 µs and 1438 µs " +
            "off (+12%, +13%), in line with the suite; where the rest of the difference goes is not found. Nor is it the HTTP client instrumentation: without it " +
            "\"on\" measured +12.9% / +13.0% p50 at 8 / 64 clients against +13.4% / +12.3% with it, in back-to-back runs of this suite. " +
            "The parts, apart (2026-12-03, `-- profile telemetry-parts 1` and `8`: each part on alone, in one process, in rotating 1 s rounds after a warm-up " +
            "that runs every arm, medians of 8 rounds): the meter alone +2% / +4% CPU per load at 1 / 8 clients; spans created and dropped (no exporter) " +
            "+13% / +7%; spans exported to memory +13% / +11%; spans with the HTTP client's, dropped, +10% / +8%; everything +15% / +11% (p50 +17% / +11%). " +
            "So the spans cost, even unexported, and the meter little. `perf record -e cpu-clock -g` of the loop on and off (`DOTNET_PerfMapEnabled=1` and " +
            "`DOTNET_EnableWriteXorExecute=0`, so that JIT-compiled frames resolve) found no hotspot: OpenTelemetry's and `Activity`'s own frames ~1% of CPU, " +
            "the rest of the difference spread over the runtime's native code (GC, +15% there), kernel wake-ups and 3% more allocation; a heap snapshot " +
            "(`dotnet-gcdump`) during the loop holds 1,004 `Activity` objects, the exporter's 1,000 and those in flight, so nothing keeps spans alive " +
            "through a captured ExecutionContext. Within 5% would take fewer spans per page load (the acceptance asks for every level of the nesting) or " +
            "sampling — and sampling took off little: with a tenth of the page loads traced (parent-based trace-id ratio), +9.5% p50 and +11% CPU per load against +12% and +16% for everything traced, in one run of `-- profile telemetry-parts 8` on a quiet machine; fewer spans is not done.");
        report.Goal("page-load p50 with metrics and tracing on within 5% of off (1, 8, 64 clients)", $"worst {Percent(worst)}", worst <= 1.05);
        return failures;
    }

    private static string Percent(double ratio) => $"{(ratio >= 1 ? "+" : "")}{F((ratio - 1) * 100, 1)}%";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
