using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LowCodeTokens.Benchmarks;

/// <summary>The built host (Release) as a separate process on a free loopback port, in Production with a fixed admin key.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key-0123456789abcdef";
    private readonly Process _process;
    private readonly string _dataDir;

    private BenchHost(Process process, string dataDir, string baseUrl)
    {
        _process = process;
        _dataDir = dataDir;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static string Dll => Path.Combine(Repo.Root, "host", "bin", "Release", "net10.0", "LowCodeTokens.Host.dll");

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task<BenchHost> StartAsync()
    {
        if (!File.Exists(Dll)) throw new FileNotFoundException("build the host in Release first (dotnet build -c Release host)", Dll);
        var dataDir = Directory.CreateTempSubdirectory("lct-bench-host-").FullName;
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDir };
        foreach (var a in new[] { Dll, "--urls", baseUrl }) start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["LowCodeTokens__AdminKey"] = AdminKey;
        start.Environment["LowCodeTokens__DataDir"] = dataDir;
        start.Environment["LowCodeTokens__Demo"] = "false";
        start.Environment["LowCodeTokens__Queries__AllowLoopback"] = "true"; // the bench upstreams listen on 127.0.0.1
        // The http suite measures one key's throughput: without its per-key rate limits, and with the session cap closing
        // any session not in a request (as BenchEngine does).
        start.Environment["LowCodeTokens__RateLimits__Loads__Burst"] = "0";
        start.Environment["LowCodeTokens__RateLimits__Runs__Burst"] = "0";
        start.Environment["LowCodeTokens__Sessions__EvictableAfter"] = "00:00:00";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var host = new BenchHost(process, dataDir, baseUrl);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var t0 = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(t0) < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"the host exited with {process.ExitCode}");
            try
            {
                using var r = await http.GetAsync(baseUrl + "/healthz");
                if (r.IsSuccessStatusCode) return host;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(20);
        }
        await host.DisposeAsync();
        throw new TimeoutException("the host did not answer /healthz within 60 s");
    }

    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
