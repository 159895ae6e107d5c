using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace LowCodeTokens.Tests.Host;

/// <summary>
/// Issue 15 item 15: the README's commands as written, through <c>dotnet run</c> and its launch profile (the built host,
/// <c>--no-build</c>): <c>ASPNETCORE_ENVIRONMENT=Production dotnet run --project host</c> runs Production, and
/// <c>dotnet run --project host</c> still runs Development with the demo.
/// </summary>
public sealed partial class LaunchProfileTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("lct-launch-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task DotnetRun_WithAspNetCoreEnvironmentProduction_RunsProduction_WithoutTheDemo()
    {
        await using var host = await DotnetRun.StartAsync(_dataDir, new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production", ["LowCodeTokens__AdminKey"] = EngineHostFactory.AdminKey,
        });

        Assert.Contains("Hosting environment: Production", host.Output);
        using var admin = new HttpClient { BaseAddress = new Uri(host.Url) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", EngineHostFactory.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/apps/crm")).StatusCode); // no demo app imported
        Assert.DoesNotContain("Demo ready", host.Output);
        Assert.False(File.Exists(Path.Combine(_dataDir, "admin.key")));
    }

    [Fact]
    public async Task DotnetRun_WithAspNetCoreEnvironmentProductionAndNoAdminKey_StopsWithTheAdminKeyError()
    {
        var (exitCode, output) = await DotnetRun.RunToExitAsync(_dataDir, new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("LowCodeTokens:AdminKey is not configured", output);
        Assert.DoesNotContain("Demo ready", output);
        Assert.False(File.Exists(Path.Combine(_dataDir, "admin.key")));
    }

    [Fact]
    public async Task DotnetRun_WithoutAnEnvironment_RunsDevelopment_WithTheDemo()
    {
        await using var host = await DotnetRun.StartAsync(_dataDir, new());

        Assert.Contains("Hosting environment: Development", host.Output);
        Assert.Contains("Demo ready", host.Output);
        Assert.True(File.Exists(Path.Combine(_dataDir, "admin.key")));
        using var admin = new HttpClient { BaseAddress = new Uri(host.Url) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", (await File.ReadAllTextAsync(Path.Combine(_dataDir, "admin.key"))).Trim());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/apps/crm")).StatusCode);
    }

    /// <summary><c>dotnet run --no-build --project host -- --urls http://127.0.0.1:0</c> from the repository root, in a clean environment.</summary>
    internal sealed partial class DotnetRun : IAsyncDisposable
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
        private readonly Process _process;
        private readonly StringBuilder _output;

        private DotnetRun(Process process, StringBuilder output, string url)
        {
            _process = process;
            _output = output;
            Url = url;
        }

        public string Url { get; }

        public string Output { get { lock (_output) return _output.ToString(); } }

        public static async Task<DotnetRun> StartAsync(string dataDir, Dictionary<string, string> environment)
        {
            var output = new StringBuilder();
            var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = Start(dataDir, environment, output, line =>
            {
                if (Listening().Match(line) is { Success: true } m) url.TrySetResult(m.Groups[1].Value);
                // The last of the start-up lines, after the hosted services (the demo) have started.
                if (line.Contains("Content root path:", StringComparison.Ordinal)) ready.TrySetResult();
            });
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("the host exited:\n" + output));
            try
            {
                await ready.Task.WaitAsync(StartTimeout);
                return new DotnetRun(process, output, await url.Task.WaitAsync(StartTimeout));
            }
            catch
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw;
            }
        }

        /// <summary>Runs the host to its exit, with <paramref name="appArguments"/> in place of <c>--urls http://127.0.0.1:0</c> when given (a command such as <c>check</c>).</summary>
        public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataDir, Dictionary<string, string> environment, string[]? appArguments = null)
        {
            var output = new StringBuilder();
            using var process = Start(dataDir, environment, output, _ => { }, appArguments);
            try
            {
                await process.WaitForExitAsync().WaitAsync(StartTimeout);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("the host kept running:\n" + output);
            }
            process.WaitForExit(); // the output streams are drained
            lock (output) return (process.ExitCode, output.ToString());
        }

        private static Process Start(string dataDir, Dictionary<string, string> environment, StringBuilder output, Action<string> onLine, string[]? appArguments = null)
        {
            var root = RepositoryRoot();
            var configuration = typeof(LaunchProfileTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var start = new ProcessStartInfo("dotnet",
                ["run", "--no-build", "--project", "host", "-c", configuration, "--", .. appArguments ?? ["--urls", "http://127.0.0.1:0"]])
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // What a shell with nothing exported would pass: no environment from the test runner or the machine.
            foreach (var name in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_URLS", "LowCodeTokens__AdminKey" })
                start.Environment.Remove(name);
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("LowCodeTokens__", StringComparison.OrdinalIgnoreCase)).ToList())
                start.Environment.Remove(name);
            start.Environment["LowCodeTokens__DataDir"] = dataDir;
            start.Environment["LowCodeTokens__Scripting__WarmUp"] = "false";
            foreach (var (name, value) in environment) start.Environment[name] = value;

            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet run");
            void Add(string? line)
            {
                if (line is null) return;
                lock (output) output.AppendLine(line);
                onLine(line);
            }
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LowCodeTokens.sln"))) return dir.FullName;
            throw new InvalidOperationException("LowCodeTokens.sln not found above " + AppContext.BaseDirectory);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }

        [GeneratedRegex(@"Now listening on: (http://\S+)")]
        private static partial Regex Listening();
    }
}
