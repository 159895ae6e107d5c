using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LowCodeTokens.Tests.Infrastructure;

namespace LowCodeTokens.Tests.Security;

/// <summary>The real host as a child process, SIGKILLed in the middle of a write load: every acknowledged write is in the store.</summary>
public sealed class DurabilityTests
{
    private const string AdminKey = "durability-admin-key-0123456789";

    [Fact]
    public async Task HostKilledDuringWriteLoad_EveryAcknowledgedWriteIsStored()
    {
        var dataDir = Directory.CreateTempSubdirectory("lct-durable-").FullName;
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var host = StartHost(dataDir, baseUrl);
        var acknowledged = new ConcurrentBag<string>();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
            await WaitUntilUpAsync(http, host);
            var app = """
                { "name": "durable", "pages": [ { "name": "Home", "jsObjects": [ { "name": "JSObject1",
                  "code": "export default { async put(k) { await storeValue(k, { k, at: Date.now() }); return k; } }" } ] } ] }
                """;
            var imported = await http.PutAsync("/api/apps/durable", Json(app));
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
            var load = JsonNode.Parse(await (await http.PostAsync("/api/apps/durable/pages/Home/load", Json("{}"))).Content.ReadAsStringAsync())!;
            var session = load["sessionId"]!.GetValue<string>();

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"w{w}-{i}";
                    try
                    {
                        var r = await http.PostAsync($"/api/apps/durable/sessions/{session}/run", Json($$"""{ "action": "JSObject1.put", "args": ["{{key}}"] }"""));
                        if (r.StatusCode == HttpStatusCode.OK && JsonNode.Parse(await r.Content.ReadAsStringAsync())!["error"] is null) acknowledged.Add(key);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return; }
                }
            })).ToArray();

            // 1.5 s of writes, and at least the ten the assertion below asks for: on a loaded machine a cold host acknowledged
            // only 7 in 1.5 s (CI, 2026-12-03), which failed the test before it looked at durability at all.
            await Task.Delay(1500);
            for (var waited = 0; acknowledged.Count < 10 && waited < 30_000; waited += 50) await Task.Delay(50);
            host.Kill(); // SIGKILL on Unix: no shutdown, no flush
            await host.WaitForExitAsync();
            stop.Cancel();
            await Task.WhenAll(writers);
        }
        finally
        {
            if (!host.HasExited) host.Kill();
        }

        Assert.True(acknowledged.Count >= 10, $"only {acknowledged.Count} writes acknowledged before the kill");
        await using var engine = EngineHarness.Create(dataDir: dataDir);
        var snapshot = await engine.Store.ReadAsync("durable", "app");
        var missing = acknowledged.Where(k => !snapshot.Values.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged writes lost: {string.Join(", ", missing.Take(10))}");
    }

    private static Process StartHost(string dataDir, string url)
    {
        var dll = Path.Combine(RepoRoot(), "host", "bin", Configuration, "net10.0", "LowCodeTokens.Host.dll");
        Assert.True(File.Exists(dll), $"build the host first: {dll}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--urls", url }) start.ArgumentList.Add(a);
        start.Environment["LowCodeTokens__DataDir"] = dataDir;
        start.Environment["LowCodeTokens__AdminKey"] = AdminKey;
        start.Environment["LowCodeTokens__Demo"] = "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilUpAsync(HttpClient http, Process host)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(host.HasExited, "the host exited at start-up");
            try { if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return; } catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        Assert.Fail("the host did not start within 30 s");
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LowCodeTokens.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
