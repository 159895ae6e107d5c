using Npgsql;

namespace LowCodeTokens.Engine.Storage.Postgres;

// IAppStore: the per (app, scope) key-value store.
internal sealed partial class PostgresStore
{
    // One statement, so the version and the values come from the same snapshot.
    private const string ReadSql = """
        SELECT v.version, s.key, s.value
        FROM lct_store_versions v
        LEFT JOIN lct_store_values s ON s.app = v.app AND s.scope = v.scope
        WHERE v.app = @app AND v.scope = @scope
        """;

    // First in the transaction: the row lock it takes queues concurrent batches of the same (app, scope)
    // behind this one, so versions follow commit order and a Clear never races another batch's Set.
    private const string BumpVersionSql = """
        INSERT INTO lct_store_versions (app, scope, version) VALUES (@app, @scope, 1)
        ON CONFLICT (app, scope) DO UPDATE SET version = lct_store_versions.version + 1
        RETURNING version
        """;

    private const string SetSql = """
        INSERT INTO lct_store_values (app, scope, key, value) VALUES (@app, @scope, @key, @value)
        ON CONFLICT (app, scope, key) DO UPDATE SET value = excluded.value
        """;

    public async Task<StoreSnapshot> ReadAsync(string app, string scope, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, ReadSql, ("app", app), ("scope", scope));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await StoreRows.ReadSnapshotAsync(reader, _protector, ct).ConfigureAwait(false);
    }

    public async Task<long> ReadVersionAsync(string app, string scope, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT version FROM lct_store_versions WHERE app = @app AND scope = @scope", ("app", app), ("scope", scope));
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long version ? version : 0;
    }

    public async Task<long> ApplyAsync(string app, string scope, IReadOnlyList<StoreWrite> writes, CancellationToken ct = default)
    {
        var protectedValues = StoreWrites.Protect(writes, _protector);

        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        // One round trip for the whole batch; the transaction makes it all-or-nothing.
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(BatchCommand(BumpVersionSql, ("app", app), ("scope", scope)));
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            batch.BatchCommands.Add(write.Kind switch
            {
                StoreWriteKind.Set => BatchCommand(SetSql, ("app", app), ("scope", scope), ("key", write.Key), ("value", protectedValues[i])),
                StoreWriteKind.Remove => BatchCommand(
                    "DELETE FROM lct_store_values WHERE app = @app AND scope = @scope AND key = @key",
                    ("app", app), ("scope", scope), ("key", write.Key)),
                _ => BatchCommand("DELETE FROM lct_store_values WHERE app = @app AND scope = @scope", ("app", app), ("scope", scope)),
            });
        }

        long version;
        await using (var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            await reader.ReadAsync(ct).ConfigureAwait(false);
            version = reader.GetInt64(0);
            while (await reader.NextResultAsync(ct).ConfigureAwait(false))
            {
            }
        }
        // synchronous_commit (on by default) makes the commit durable before it returns.
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return version;
    }

    public async Task<IReadOnlyList<string>> ListScopesAsync(string app, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // Versions, not values: a scope that was cleared still exists (and has a version).
        await using var command = Command(connection,
            "SELECT scope FROM lct_store_versions WHERE app = @app ORDER BY scope COLLATE \"C\"", ("app", app));
        return await StoreRows.ReadStringsAsync(command, ct).ConfigureAwait(false);
    }

    async Task IAppStore.DeleteAppAsync(string app, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, tx);
        AddDeleteStoreCommands(batch, app);
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    private static void AddDeleteStoreCommands(NpgsqlBatch batch, string app)
    {
        batch.BatchCommands.Add(BatchCommand("DELETE FROM lct_store_values WHERE app = @app", ("app", app)));
        batch.BatchCommands.Add(BatchCommand("DELETE FROM lct_store_versions WHERE app = @app", ("app", app)));
    }
}
