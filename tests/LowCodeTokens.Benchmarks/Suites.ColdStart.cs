using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using static LowCodeTokens.Benchmarks.Report;

namespace LowCodeTokens.Benchmarks;

public static partial class Suites
{
    /// <summary>
    /// Process start of the host to its first successful page load: the Development demo as <c>dotnet build</c> leaves it and as a
    /// framework-dependent ReadyToRun publish; the production start of that publish and of the self-contained composite publish
    /// (the two forms README gives for deploying); interleaved run by run.
    /// </summary>
    public static async Task ColdStartAsync(Report report)
    {
        var built = Path.Combine(Repo.Root, "host", "bin", "Release", "net10.0", "LowCodeTokens.Host.dll");
        if (!File.Exists(built)) throw new FileNotFoundException("build the host in Release first (dotnet run -c Release builds it)", built);
        var publishDir = Directory.CreateTempSubdirectory("lct-publish-").FullName;
        try
        {
            var published = await PublishHostAsync(Path.Combine(publishDir, "host"), selfContained: false);
            var composite = await PublishHostAsync(Path.Combine(publishDir, "host-self-contained"), selfContained: true);
            await using var upstream = await BenchServer.StartAsync();
            // Beside the published host, not inside it (a publish carries the repository's definitions/ for the demo).
            var definitions = Directory.CreateDirectory(Path.Combine(publishDir, "production-definitions")).FullName;
            CopyDirectory(Path.Combine(Repo.Root, "definitions", "modules", "auth"), Path.Combine(definitions, "modules", "auth"));
            Directory.CreateDirectory(Path.Combine(definitions, "apps"));
            File.Copy(Path.Combine(Repo.Root, "definitions", "apps", "crm.json"), Path.Combine(definitions, "apps", "crm.json"));
            var total = new Samples(); var health = new Samples(); var pubTotal = new Samples(); var pubHealth = new Samples();
            var prodTotal = new Samples(); var prodHealth = new Samples();
            var compTotal = new Samples(); var compHealth = new Samples();
            const int runs = 5;
            for (int run = 0; run < runs; run++)
            {
                var (toHealth, toLoad) = await ColdStartOnceAsync(built);
                health.Add(toHealth);
                total.Add(toLoad);
                (toHealth, toLoad) = await ColdStartOnceAsync(published);
                pubHealth.Add(toHealth);
                pubTotal.Add(toLoad);
                (toHealth, toLoad) = await ColdStartOnceAsync(published, (upstream, definitions));
                prodHealth.Add(toHealth);
                prodTotal.Add(toLoad);
                (toHealth, toLoad) = await ColdStartOnceAsync(composite, (upstream, definitions));
                compHealth.Add(toHealth);
                compTotal.Add(toLoad);
            }
            report.Section("coldstart: process start to first successful page load",
                $"`dotnet <host dll> --urls http://127.0.0.1:<free port>` with `ASPNETCORE_ENVIRONMENT=Development` and a fresh " +
                "`LowCodeTokens__DataDir` (so: new SQLite database, new Data Protection keys, new admin key, demo token server and users API, shipped module " +
                "published, demo app imported). Polls `GET /healthz` every 10 ms, then `POST /api/apps/crm/pages/Home/load` with the " +
                "admin key from `admin.key` until it answers 200 with every action successful (the first load fetches a token). The hosts, " +
                $"interleaved run by run ({runs} runs each, sequential): *built*, `{Path.GetRelativePath(Repo.Root, built)}` as `dotnet build -c Release` leaves it " +
                $"(JIT-compiled as it runs); *published*, `{PublishCommand(selfContained: false)}` (ReadyToRun: the host, the engine and the packages " +
                "precompiled, each assembly apart; run with `dotnet`). Both run the Development demo, which since issues 12–14 also starts an OpenID " +
                "Connect provider (OpenIddict) and reads the definitions folder. *Production*: a host as an operator starts it — Production, the admin " +
                "key in the environment, `LowCodeTokens:Definitions:Path` naming a folder with the shipped module and the crm app, whose token server " +
                "and users API are a server in the benchmark process (no demo servers in the host) — of that publish and of " +
                $"*self-contained*, `{PublishCommand(selfContained: true)}` (the .NET runtime, the host and the packages in one composite ReadyToRun " +
                "image; run as its own executable), the form README gives first for deploying. The goal is judged on the self-contained production " +
                "start: it is the product's start in the recommended form; the demo's servers are not the product.");
            report.Table(["figure", "host", "runs", "p50 ms", "max ms", Before.Label + " p50 ms"],
            [
                ["start → /healthz 200", "built", runs.ToString(), F(health.Median, 0), F(health.Percentile(100), 0), F(Before.ColdStartHealthMs, 0)],
                ["start → first successful page load", "built", runs.ToString(), F(total.Median, 0), F(total.Percentile(100), 0), F(Before.ColdStartLoadMs, 0)],
                ["start → /healthz 200", "published", runs.ToString(), F(pubHealth.Median, 0), F(pubHealth.Percentile(100), 0), ""],
                ["start → first successful page load", "published", runs.ToString(), F(pubTotal.Median, 0), F(pubTotal.Percentile(100), 0), ""],
                ["start → /healthz 200", "published, production", runs.ToString(), F(prodHealth.Median, 0), F(prodHealth.Percentile(100), 0), ""],
                ["start → first successful page load", "published, production", runs.ToString(), F(prodTotal.Median, 0), F(prodTotal.Percentile(100), 0), ""],
                ["start → /healthz 200", "self-contained, production", runs.ToString(), F(compHealth.Median, 0), F(compHealth.Percentile(100), 0), ""],
                ["start → first successful page load", "self-contained, production", runs.ToString(), F(compTotal.Median, 0), F(compTotal.Percentile(100), 0), ""],
            ]);
            report.Note(
                "What the profiles showed (`dotnet-trace collect` of the host from its start through the first load; process CPU time from `/proc`; each A/B " +
                "interleaved on this machine). The start is **CPU-bound on both cores**: ~2.0 s of CPU in ~1.3 s of wall time as built, against 0.37 s of CPU for an " +
                "empty ASP.NET Core app with the same two routes, so overlapping more work does not help (the warm-up started before `WebApplication.CreateBuilder` " +
                "made it slower; the demo servers started beside the module publish changed nothing). Most of the CPU is JIT: the ReadyToRun publish needs ~1.58 s of " +
                "CPU instead of ~2.03 s. Of what is left, by inclusive CPU: Jint's `new Options()` ~0.4 s (counting the native ICU time a first profile left out) — its " +
                "`TemporalOptions` default touches `DefaultTimeZoneProvider`, whose static constructor calls the sorted `TimeZoneInfo.GetSystemTimeZones()`, and " +
                "sorting asks ICU for the display name of each of the ~420 zones (a console app: 378 ms sorted against 50 ms with `skipSorting`); the first request's " +
                "routing table (`DfaMatcherBuilder`) ~70 ms; the shipped module's publish ~120 ms (`DefinitionJson.Read` ~55 ms, two thirds System.Text.Json's " +
                "reflection metadata; Acornima's first parse ~30 ms; FluentValidation's validator constructors ~25 ms); `ScriptWarmUp` runs a page and a module through " +
                "the engine on the other core meanwhile. Tried and dropped: reading the time zones on a thread of their own before `WebApplication.CreateBuilder` (no " +
                "gain: the second core is busy then too); `DOTNET_TieredPGO=0`, a longer call-counting delay, a larger gen-0 budget, workstation GC (no change); " +
                "`DOTNET_TieredCompilation=0` (+250 ms); invariant globalization saved ~320 ms of CPU and ~60 ms of wall time but changes what scripts see " +
                "(`toLocaleString('de-DE')` formats as en-US, `localeCompare` becomes ordinal, `normalize('NFD')` returns its input), so it is not the default; " +
                "source-generated JSON metadata for the definitions (the generator sets `init` members missing from the JSON to null, overriding their `= new()` " +
                "defaults). " +
                "Since (2026-12-03, a timeline of the production start from marks written at each step, 2 runs, and A/B runs of 8–10 starts each by a " +
                "Python client, so that no .NET client shares the cores): the minimal API handlers' request delegates are generated at compile time " +
                "(`EnableRequestDelegateGenerator`; first page load 1126 → 1060 ms, /healthz 1016 → 906 ms); the time zones are read on a thread of their own " +
                "from the first line of `Main` (1102 → 1049 ms); the self-contained composite publish starts in 907 against 1098 ms for the framework-dependent " +
                "one, with ~270 ms less CPU. The production start, framework-dependent, as the marks showed it: `Main` at ~70 ms, services registered by " +
                "~210, built by ~250, endpoints mapped by ~390 (~80 ms of it `/metrics`: the engine's instruments and OpenTelemetry's `MeterProvider`), the " +
                "definitions folder applied from ~500 to ~735 (checking the module ~130 ms and compiling the app ~50–100 ms, both mostly first-use costs: " +
                "JSON metadata, validators, Acornima; publishing and importing ~10 ms), listening at ~765, the first request's routing table ~70 ms, the first " +
                "page load ~125 ms; the time-zone thread runs from ~65 to ~500 ms on the other core and the warm-up after it. Tried and dropped: starting the " +
                "warm-up right after the build instead of with the hosted services, and no warm-up at all (the same first page load, ~145 ms less CPU for the " +
                "published host; kept for the JIT-compiled one). What would take more off: Jint creating its default time-zone provider lazily (upstream).");
            report.Goal("cold start to the first successful page load ≤ 1.0 s (median of 5)",
                $"{F(compTotal.Median / 1000)} s self-contained, production; {F(prodTotal.Median / 1000)} s framework-dependent, production; demo: " +
                $"{F(pubTotal.Median / 1000)} s published, {F(total.Median / 1000)} s as built",
                compTotal.Median <= 1000, "1.80 s (demo, as built)");
        }
        finally
        {
            try { Directory.Delete(publishDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    private static string PublishCommand(bool selfContained) =>
        $"dotnet publish host -c Release -r {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier} --self-contained {(selfContained ? "true" : "false")}";

    /// <returns>What to start: the host's dll (framework-dependent, run with <c>dotnet</c>) or its executable (self-contained).</returns>
    private static async Task<string> PublishHostAsync(string outputDir, bool selfContained)
    {
        var command = PublishCommand(selfContained);
        // The ReadyToRun images of the last publish for this runtime: a framework-dependent publish reuses a composite publish's
        // (rewritten to point at the composite image) and the host it makes aborts at start, so each publish compiles afresh.
        var r2r = Path.Combine(Repo.Root, "host", "obj", "Release", "net10.0", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "R2R");
        if (Directory.Exists(r2r)) Directory.Delete(r2r, recursive: true);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        foreach (var a in command.Split(' ').Skip(1).Concat(["-o", outputDir])) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} failed: {await output}{await errors}");
        return Path.Combine(outputDir, selfContained ? "LowCodeTokens.Host" : "LowCodeTokens.Host.dll");
    }

    /// <param name="production">
    /// Start as an operator would, instead of the Development demo: Production, an admin key in the environment, and a definitions
    /// folder with the shipped module and the crm app whose token server and users API are <paramref name="production"/>'s.
    /// </param>
    private static async Task<(double Health, double Load)> ColdStartOnceAsync(string host, (BenchServer Server, string Definitions)? production = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("lct-cold-").FullName;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var baseUrl = $"http://127.0.0.1:{port}";
        var isDll = host.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(isDll ? "dotnet" : host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(host)! };
        foreach (var a in (isDll ? new[] { host } : []).Concat(["--urls", baseUrl])) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = production is null ? "Development" : "Production";
        start.Environment["LowCodeTokens__DataDir"] = dataDir;
        string? adminKey = null;
        if (production is { } p)
        {
            adminKey = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            start.Environment["LowCodeTokens__AdminKey"] = adminKey;
            start.Environment["LowCodeTokens__Definitions__Path"] = p.Definitions;
            start.Environment["LowCodeTokens__Definitions__Variables__DEMO_TOKEN_URL"] = p.Server.BaseUrl + "/token";
            start.Environment["LowCodeTokens__Definitions__Variables__DEMO_API_URL"] = p.Server.BaseUrl;
            start.Environment["LowCodeTokens__Definitions__Variables__DEMO_API_HOST"] = p.Server.HostPort;
            start.Environment["LowCodeTokens__Queries__AllowLoopback"] = "true";
        }
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var t0 = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            double healthMs = double.NaN;
            var deadline = TimeSpan.FromSeconds(60);
            while (Stopwatch.GetElapsedTime(t0) < deadline)
            {
                if (process.HasExited) throw new InvalidOperationException($"the host exited with {process.ExitCode}");
                try
                {
                    if (double.IsNaN(healthMs))
                    {
                        using var h = await http.GetAsync(baseUrl + "/healthz");
                        if (h.IsSuccessStatusCode) healthMs = Samples.Ms(t0);
                    }
                    var keyFile = Path.Combine(dataDir, "admin.key");
                    if (!double.IsNaN(healthMs) && (adminKey is not null || File.Exists(keyFile)))
                    {
                        using var req = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/api/apps/crm/pages/Home/load");
                        req.Headers.Add("X-Api-Key", adminKey ?? (await File.ReadAllTextAsync(keyFile)).Trim());
                        using var res = await http.SendAsync(req);
                        if (res.IsSuccessStatusCode)
                        {
                            var body = JsonNode.Parse(await res.Content.ReadAsStringAsync())!;
                            if (body["actions"] is JsonArray actions && actions.Count > 0 && actions.All(a => a?["status"]?.GetValue<string>() == "success"))
                                return (healthMs, Samples.Ms(t0));
                        }
                    }
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(10);
            }
            throw new TimeoutException("the host did not serve a successful page load within 60 s");
        }
        finally
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
