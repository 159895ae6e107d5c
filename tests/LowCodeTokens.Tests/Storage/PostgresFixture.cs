using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LowCodeTokens.Tests.Storage;

/// <summary>
/// A PostgreSQL server for the storage tests: <c>LOWCODETOKENS_TEST_PG</c> (a connection string) when set, else a
/// temporary cluster started here (initdb, as the <c>postgres</c> user when running as root) and removed afterwards.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "LOWCODETOKENS_TEST_PG";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    private string? _root;
    private string? _binDir;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        _binDir = FindBinDirectory();
        _root = Directory.CreateTempSubdirectory("lct-pg-").FullName;
        if (Environment.UserName == "root")
            await RunAsync("chown", ["postgres:postgres", _root], asPostgres: false);
        var data = Path.Combine(_root, "data");
        await RunAsync(Path.Combine(_binDir, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], asPostgres: true);

        var port = FreePort();
        // Sockets in the temp folder: the system socket directory may not exist or be writable here. Connections as .ci/postgres
        // allows: two replicas' pools plus their lock connections under 100 concurrent loads pass the default 100.
        await RunAsync(Path.Combine(_binDir, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
             "-o", $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={_root} -c max_connections=400", "start"], asPostgres: true);
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=15";
    }

    public async Task DisposeAsync()
    {
        if (_root is null || _binDir is null)
            return;
        try
        {
            await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "fast", "-w", "stop"], asPostgres: true);
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string FindBinDirectory()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")));
        if (onPath is not null)
            return onPath;
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb"))).OrderByDescending(bin => bin, StringComparer.Ordinal).FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            $"PostgreSQL tests need initdb (apt-get install postgresql) or {EnvironmentVariable} set to a connection string.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string tool, IReadOnlyList<string> args, bool asPostgres)
    {
        // initdb refuses to run as root, so as root the server tools run as the postgres user.
        var start = asPostgres && Environment.UserName == "root"
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", tool, .. args])
            : new ProcessStartInfo(tool, args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ToolTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await stderr}{await stdout}");
    }
}
