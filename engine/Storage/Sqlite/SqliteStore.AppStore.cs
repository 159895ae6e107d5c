using Microsoft.Data.Sqlite;

namespace LowCodeTokens.Engine.Storage.Sqlite;

// IAppStore: the per (app, scope) key-value store.
internal sealed partial class SqliteStore
{
    // One statement, so the version and the values come from the same snapshot.
    private const string ReadSql = """
        SELECT v.version, s.key, s.value
        FROM lct_store_versions v
        LEFT JOIN lct_store_values s ON s.app = v.app AND s.scope = v.scope
        WHERE v.app = $app AND v.scope = $scope
        """;

    private const string SetSql = """
        INSERT INTO lct_store_values (app, scope, key, value) VALUES ($app, $scope, $key, $value)
        ON CONFLICT (app, scope, key) DO UPDATE SET value = excluded.value
        """;

    private const string BumpVersionSql = """
        INSERT INTO lct_store_versions (app, scope, version) VALUES ($app, $scope, 1)
        ON CONFLICT (app, scope) DO UPDATE SET version = version + 1
        RETURNING version
        """;

    public async Task<StoreSnapshot> ReadAsync(string app, string scope, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(forWrite: false, ct).ConfigureAwait(false);
        await using var command = Command(connection, ReadSql, ("$app", app), ("$scope", scope));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await StoreRows.ReadSnapshotAsync(reader, _protector, ct).ConfigureAwait(false);
    }

    public async Task<long> ApplyAsync(string app, string scope, IReadOnlyList<StoreWrite> writes, CancellationToken ct = default)
    {
        // Encrypt before taking the write gate: it is CPU work that need not hold up other writers.
        var protectedValues = StoreWrites.Protect(writes, _protector);

        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(forWrite: true, ct).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using var set = Command(connection, SetSql, ("$app", app), ("$scope", scope), ("$key", ""), ("$value", ""));
            await using var remove = Command(connection,
                "DELETE FROM lct_store_values WHERE app = $app AND scope = $scope AND key = $key",
                ("$app", app), ("$scope", scope), ("$key", ""));
            await using var clear = Command(connection,
                "DELETE FROM lct_store_values WHERE app = $app AND scope = $scope", ("$app", app), ("$scope", scope));

            for (var i = 0; i < writes.Count; i++)
            {
                var write = writes[i];
                switch (write.Kind)
                {
                    case StoreWriteKind.Set:
                        set.Parameters["$key"].Value = write.Key;
                        set.Parameters["$value"].Value = protectedValues[i];
                        await set.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        break;
                    case StoreWriteKind.Remove:
                        remove.Parameters["$key"].Value = write.Key;
                        await remove.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        break;
                    case StoreWriteKind.Clear:
                        await clear.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        break;
                }
            }

            await using var bump = Command(connection, BumpVersionSql, ("$app", app), ("$scope", scope));
            var version = (long)(await bump.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            // With synchronous=FULL the commit returns after the WAL is synced: the write is durable from here.
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return version;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<IReadOnlyList<string>> ListScopesAsync(string app, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(forWrite: false, ct).ConfigureAwait(false);
        // Versions, not values: a scope that was cleared still exists (and has a version).
        await using var command = Command(connection,
            "SELECT scope FROM lct_store_versions WHERE app = $app ORDER BY scope", ("$app", app));
        return await StoreRows.ReadStringsAsync(command, ct).ConfigureAwait(false);
    }

    async Task IAppStore.DeleteAppAsync(string app, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(forWrite: true, ct).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await DeleteStoreRowsAsync(connection, app, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            await ReclaimSpaceAsync(connection, ct).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static async Task DeleteStoreRowsAsync(SqliteConnection connection, string app, CancellationToken ct)
    {
        await using var values = Command(connection, "DELETE FROM lct_store_values WHERE app = $app", ("$app", app));
        await values.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using var versions = Command(connection, "DELETE FROM lct_store_versions WHERE app = $app", ("$app", app));
        await versions.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
