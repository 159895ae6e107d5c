using Npgsql;

namespace LowCodeTokens.Engine.Storage.Postgres;

/// <summary>
/// A lock shared by every replica on the same database: a session-level advisory lock, held by a connection
/// kept open for the lock's lifetime, so a process that dies releases it when the server drops its connection.
/// </summary>
internal sealed class PostgresStoreLock : IStoreLock, IAsyncDisposable, IDisposable
{
    private const string Prefix = "lowcodetokens:";

    // Waiters in this process queue here first, so they hold no database connection while they wait.
    private readonly InProcessStoreLock _local = new();
    private readonly NpgsqlDataSource _dataSource;

    public PostgresStoreLock(string connectionString) => _dataSource = NpgsqlDataSource.Create(connectionString);

    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var local = await _local.AcquireAsync(name, ct).ConfigureAwait(false);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext(@name))", connection);
            command.Parameters.AddWithValue("name", Prefix + name);
            // Waiting is bounded by the caller's token, not by the 30 s command timeout: a holder may legitimately be slow.
            command.CommandTimeout = 0;
            try
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The server may have granted the lock just as the cancel arrived; never return a holding connection to the pool.
                await Handle.UnlockAsync(connection, name).ConfigureAwait(false);
                throw;
            }
            return new Handle(connection, name, local);
        }
        catch
        {
            if (connection is not null)
                await connection.DisposeAsync().ConfigureAwait(false);
            await local.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // Also synchronous: a container disposed with Dispose() refuses singletons that are only IAsyncDisposable.
    public void Dispose() => _dataSource.Dispose();

    private sealed class Handle(NpgsqlConnection connection, string name, IAsyncDisposable local) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            try
            {
                await UnlockAsync(connection, name).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await local.DisposeAsync().ConfigureAwait(false);
            }
        }

        public static async Task UnlockAsync(NpgsqlConnection connection, string name)
        {
            try
            {
                // No cancellation token: releasing must not be skipped because a request was aborted.
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext(@name))", connection);
                command.Parameters.AddWithValue("name", Prefix + name);
                await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone, and the server released the lock with it. Make sure a live but
                // failing connection is closed rather than pooled while it might still hold the lock.
                NpgsqlConnection.ClearPool(connection);
            }
        }
    }
}
