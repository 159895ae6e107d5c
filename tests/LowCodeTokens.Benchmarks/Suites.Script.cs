using System.Diagnostics;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Scripting;
using static LowCodeTokens.Benchmarks.Report;

namespace LowCodeTokens.Benchmarks;

public static partial class Suites
{
    /// <summary>
    /// The script engine alone: opening a session's engines (page + one module instance), a warm call, and a call awaiting
    /// 3 query runs (script → .NET → Kestrel → script) against the same 3 GETs made directly, interleaved round by round.
    /// </summary>
    public static async Task ScriptAsync(Report report)
    {
        await using var bench = await ScriptBench.CreateAsync();
        var (engine, server) = (bench.Engine, bench.Server);
        var load = await engine.Runtime.LoadPageAsync("bench", "Home", "app");
        using var warm = bench.OpenSession();
        var Open = ScriptBench.OpenAsync;
        var Touch = ScriptBench.TouchAsync;
        var Check = ScriptBench.CheckAsync;
        await Open(warm);
        await Touch(warm);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "JWT static-benchmark-token");
        async Task Get() { using var r = await http.GetAsync(server.BaseUrl + "/api/users"); await r.Content.ReadAsByteArrayAsync(); }

        var opened = new Samples(); var openWarm = new Samples(); var open = new Samples(); var touchWarm = new Samples();
        var call = new Samples(); var cb3 = new Samples(); var get3 = new Samples();
        async Task Round(bool record, bool slow)
        {
            var t = Stopwatch.GetTimestamp();
            using (var fresh = bench.OpenSession()) await Open(fresh);
            if (record) opened.Add(Samples.Ms(t));
            t = Stopwatch.GetTimestamp(); await Open(warm); if (record) openWarm.Add(Samples.Ms(t));
            t = Stopwatch.GetTimestamp();
            using (var fresh = bench.OpenSession()) { await Open(fresh); await Touch(fresh); }
            if (record) open.Add(Samples.Ms(t));
            t = Stopwatch.GetTimestamp(); await Open(warm); await Touch(warm); if (record) touchWarm.Add(Samples.Ms(t));
            t = Stopwatch.GetTimestamp(); await Check(warm.CallAsync(ScriptEntities.Page, ["Bench", "noop"], "[]")); if (record) call.Add(Samples.Ms(t));
            if (!slow) return;
            t = Stopwatch.GetTimestamp();
            var r = await engine.Runtime.RunAsync("bench", load.SessionId, "Bench.three", "[]");
            if (r?.Error is not null) throw new InvalidOperationException(r.Error.Message);
            if (record) cb3.Add(Samples.Ms(t));
            t = Stopwatch.GetTimestamp(); await Get(); await Get(); await Get(); if (record) get3.Add(Samples.Ms(t));
        }
        // Warm-up by time, not by count: opening sessions runs hundreds of Jint methods, and tiered compilation takes ~2 s of
        // this loop to finish them (`-- profile session` shows ~100 µs per session over the first 2 s, ~24 µs after).
        var warmUntil = Stopwatch.GetTimestamp() + 4 * Stopwatch.Frequency;
        for (int i = 0; i < 3000 || Stopwatch.GetTimestamp() < warmUntil; i++) await Round(false, i % 5 == 0);
        for (int i = 0; i < 8000; i++) await Round(true, i % 10 == 0);

        var newSessionUs = (opened.Median - openWarm.Median) * 1000;
        var firstCallsUs = (open.Median - touchWarm.Median) * 1000 - newSessionUs;
        report.Section("script: the script engine",
            "One caller, sequential, interleaved round by round, after 4 s of the same rounds (so that tiered compilation has finished). *Open a new session*: `IScriptEngine.OpenSession` of the *pageload* page, then one " +
            "trivial evaluation in each entity, which builds its engine and loads its code (the page with its JS object `Bench` and query; the " +
            "`Auth_Module` instance running the shipped main.js's top level); *the same, warm*: the two evaluations in a session whose engines exist — " +
            "so opening costs the difference. *… and a first call into each*: then `Bench.noop()` and `Auth_Module.verifyAccessTokenExpired()`, whose " +
            "first run in an engine builds the interpreter's trees for the code it runs. *Warm call*: `Bench.noop()` (returns 1). " +
            "*3 host callbacks*: `IPageRuntime.RunAsync` of `Bench.three()`, which awaits a query run three times: each is a script → .NET → Kestrel on " +
            "127.0.0.1 → script round trip (store read and persist included). *3 direct GETs*: the same three requests made by an HttpClient.");
        report.Table(["figure", "n", "p50 ms", "p99 ms"],
        [
            ["open a new session (2 engines, code loaded)", opened.Count.ToString(), F(opened.Median, 4), F(opened.P99, 4)],
            ["the same, warm", openWarm.Count.ToString(), F(openWarm.Median, 4), F(openWarm.P99, 4)],
            ["open a new session and a first call into each entity", open.Count.ToString(), F(open.Median, 4), F(open.P99, 4)],
            ["the same, warm", touchWarm.Count.ToString(), F(touchWarm.Median, 4), F(touchWarm.P99, 4)],
            ["warm call (noop)", call.Count.ToString(), F(call.Median, 4), F(call.P99, 4)],
            ["call with 3 host callbacks (3 query runs)", cb3.Count.ToString(), F(cb3.Median, 3), F(cb3.P99, 3)],
            ["3 direct HttpClient GETs (reference)", get3.Count.ToString(), F(get3.Median, 3), F(get3.P99, 3)],
        ]);
        report.Note($"Opening a new session (page + 1 module instance, code loaded) costs p50 {F(newSessionUs, 1)} µs; the first call into each " +
                    $"entity adds {F(firstCallsUs, 1)} µs; each script → .NET → query round trip ~{F((cb3.Median - get3.Median) / 3, 3)} ms beyond its HTTP request.");
        report.Note("Until 2026-12-03 this suite warmed up for 3,000 rounds (~1.5 s) and reported 67–74 µs for a new session: that was tiered " +
                    "compilation still at work on Jint's methods, not the steady state. `dotnet run -c Release --project tests/LowCodeTokens.Benchmarks -- " +
                    "profile session 12` (opening and closing sessions in a loop) shows ~100 µs per session over a fresh process's first 2 s and ~24 µs " +
                    "from then on (~20,000 sessions in): a freshly started host pays the higher figure for its first sessions, until its hot paths are " +
                    "recompiled; the goal is the steady state.");
        report.Goal("a new session (page + 1 module instance, code loaded) ≤ 50 µs p50", $"{F(newSessionUs, 1)} µs (first calls +{F(firstCallsUs, 0)} µs)", newSessionUs <= 50,
            "~3 ms (opening a session's vm contexts, issue 11)");
    }
}
