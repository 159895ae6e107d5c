using System.Diagnostics;
using System.Text.RegularExpressions;
using LowCodeTokens.Tests.Host;

namespace LowCodeTokens.Tests.ScaleOut;

/// <summary>The host as a separate OS process on a loopback port, so that a test can kill it as a crash would.</summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;

    public string BaseUrl { get; }

    private HostProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public static async Task<HostProcess> StartAsync(string dataDir, string connectionString)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "LowCodeTokens.Host.dll"), "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = dataDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["LowCodeTokens__AdminKey"] = EngineHostFactory.AdminKey;
        start.Environment["LowCodeTokens__DataDir"] = dataDir;
        start.Environment["LowCodeTokens__Demo"] = "false";
        start.Environment["LowCodeTokens__Queries__AllowLoopback"] = "true"; // the tests' upstreams listen on 127.0.0.1
        start.Environment["LowCodeTokens__Store__Provider"] = "postgres";
        start.Environment["LowCodeTokens__Store__ConnectionString"] = connectionString;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { listening.TrySetException(new InvalidOperationException("the host exited: " + output)); return; }
            lock (output) output.AppendLine(e.Data);
            if (Listening().Match(e.Data) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new HostProcess(process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", EngineHostFactory.AdminKey);
        return client;
    }

    /// <summary>As a crash: no shutdown, the process (and its script host) is gone, the OS closes its sockets.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
