using Npgsql;

namespace LowCodeTokens.Engine.Storage.Postgres;

/// <summary>
/// The scale-out store: the same tables as SQLite in a PostgreSQL database shared by every host replica.
/// One class serves both contracts because deleting an app must remove its definition, keys and store in one transaction.
/// </summary>
internal sealed partial class PostgresStore : IAppStore, IDefinitionRepository, IStoreSchema, IAsyncDisposable, IDisposable, IStoreVersions
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IValueProtector _protector;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public PostgresStore(string connectionString, IValueProtector protector)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Automatic preparation lets the hot read (run before every script invocation) skip parsing and planning.
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 32;
        _dataSource = NpgsqlDataSource.Create(builder);
        _protector = protector;
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
            await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(PostgresSchema.Create, connection, tx);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // Also synchronous: a container disposed with Dispose() refuses singletons that are only IAsyncDisposable.
    public void Dispose() => _dataSource.Dispose();

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        if (!_schemaReady)
            await EnsureCreatedAsync(ct).ConfigureAwait(false);
        return await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
