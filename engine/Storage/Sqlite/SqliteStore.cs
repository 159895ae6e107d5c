using Microsoft.Data.Sqlite;

namespace LowCodeTokens.Engine.Storage.Sqlite;

/// <summary>
/// The embedded store: store values, module versions, apps and app keys in one SQLite file.
/// One class serves both contracts because deleting an app must remove its definition, keys and store in one transaction.
/// </summary>
internal sealed partial class SqliteStore : IAppStore, IDefinitionRepository, IStoreSchema
{
    public const string DefaultFileName = "lowcodetokens.db";

    private readonly string _connectionString;
    private readonly IValueProtector _protector;
    // SQLite admits one writer at a time; queueing this process's writers here avoids SQLite's
    // sleep-and-retry busy handler, which adds milliseconds of latency under contention.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _appStamps = new(StringComparer.Ordinal);
    private long _nextAppStamp;

    public SqliteStore(string connectionString, IValueProtector protector)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        };
        _connectionString = builder.ToString();
        _protector = protector;
    }

    /// <summary>The configured connection string, else <c>{DataDir}/lowcodetokens.db</c> (the directory is created).</summary>
    public static string ConnectionStringFor(LowCodeEngineOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Store.ConnectionString))
            return options.Store.ConnectionString;
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, DefaultFileName) }.ToString();
    }

    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        if (_schemaReady)
            return;
        await _schemaGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
                return;
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            // WAL is a property of the file (set once, kept); readers then never block the writer.
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", ct).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(connection, SqliteSchema.Create, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    internal async Task<SqliteConnection> OpenAsync(bool forWrite, CancellationToken ct)
    {
        if (!_schemaReady)
            await EnsureCreatedAsync(ct).ConfigureAwait(false);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            if (forWrite)
            {
                // Per-connection settings, so they are set on every write connection (pooled ones included):
                // FULL syncs the WAL at each commit, so an acknowledged write survives a kill or power loss;
                // busy_timeout waits for writers of other processes sharing the file instead of failing.
                await ExecuteAsync(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;", ct).ConfigureAwait(false);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        // CreateCommand enlists the command in the connection's current transaction, if any.
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
