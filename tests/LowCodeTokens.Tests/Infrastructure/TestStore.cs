using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>
/// Which store the engine and host tests run on: SQLite (default), or PostgreSQL when <c>LOWCODETOKENS_STORE=postgres</c>
/// and <c>LOWCODETOKENS_TEST_PG</c> names a server. Under PostgreSQL each data directory gets its own database, so tests stay
/// as isolated as with one SQLite file per directory, and two hosts over the same directory (a restart) share their store.
/// </summary>
internal static class TestStore
{
    public const string ProviderVariable = "LOWCODETOKENS_STORE";
    public const string ServerVariable = "LOWCODETOKENS_TEST_PG";

    private static readonly ConcurrentDictionary<string, (string Server, string ConnectionString)> Databases = new(StringComparer.Ordinal);
    private static int _cleanupRegistered;

    public static bool IsPostgres =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store settings (configuration keys) for a host over <paramref name="dataDir"/>; empty for SQLite.</summary>
    public static IReadOnlyDictionary<string, string> SettingsFor(string dataDir) => IsPostgres
        ? new Dictionary<string, string>
        {
            ["LowCodeTokens:Store:Provider"] = "postgres",
            ["LowCodeTokens:Store:ConnectionString"] = DatabaseFor(ServerConnectionString(), dataDir),
        }
        : new Dictionary<string, string>();

    private static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException($"{ProviderVariable}=postgres needs {ServerVariable} (a connection string to a server the tests may create databases on).");

    /// <summary>A connection string to the database that belongs to <paramref name="dataDir"/> on <paramref name="server"/>, created when missing.</summary>
    public static string DatabaseFor(string server, string dataDir)
    {
        var key = Path.GetFullPath(dataDir).TrimEnd('/');
        var name = "lct_" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(server + "\n" + key)))[..20].ToLowerInvariant();
        return Databases.GetOrAdd(name, n =>
        {
            Create(server, n);
            RegisterCleanup();
            return (server, new NpgsqlConnectionStringBuilder(server) { Database = n }.ConnectionString);
        }).ConnectionString;
    }

    private static void Create(string server, string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var connection = new NpgsqlConnection(server);
                connection.Open();
                using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                command.ExecuteNonQuery();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                return;
            }
            // Concurrent CREATE DATABASE from the same template can collide; a retry succeeds.
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                Thread.Sleep(100);
            }
        }
    }

    // Best effort: a temporary server (.ci/run, PostgresFixture) goes away anyway; a given one is left clean.
    private static void RegisterCleanup()
    {
        if (Interlocked.Exchange(ref _cleanupRegistered, 1) != 0) return;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
            }
            catch (Exception)
            {
            }
            foreach (var (name, (server, _)) in Databases)
            {
                try
                {
                    using var connection = new NpgsqlConnection(server);
                    connection.Open();
                    using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                    command.ExecuteNonQuery();
                }
                catch (Exception)
                {
                    // The server may already be stopped.
                }
            }
        };
    }
}
