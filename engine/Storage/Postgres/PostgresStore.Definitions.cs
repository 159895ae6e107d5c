using Npgsql;

namespace LowCodeTokens.Engine.Storage.Postgres;

// IDefinitionRepository: module versions, apps and app keys.
internal sealed partial class PostgresStore
{
    public async Task<bool> TryAddModuleVersionAsync(string name, string version, string json, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // DO NOTHING keeps published versions immutable; the row count says whether this call added it.
        await using var command = Command(connection, """
            INSERT INTO lct_modules (name, version, json) VALUES (@name, @version, @json)
            ON CONFLICT (name, version) DO NOTHING
            """, ("name", name), ("version", version), ("json", json));
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    public async Task<string?> GetModuleVersionAsync(string name, string version, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT json FROM lct_modules WHERE name = @name AND version = @version", ("name", name), ("version", version));
        return (string?)await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListModuleVersionsAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // Publish order; semantic-version ordering is the definitions layer's business.
        await using var command = Command(connection, "SELECT version FROM lct_modules WHERE name = @name ORDER BY id", ("name", name));
        return await StoreRows.ReadStringsAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListModulesAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // COLLATE "C": ordinal order, the same as SQLite, whatever the database's locale.
        await using var command = Command(connection, "SELECT DISTINCT name COLLATE \"C\" FROM lct_modules ORDER BY 1");
        return await StoreRows.ReadStringsAsync(command, ct).ConfigureAwait(false);
    }

    public async Task PutAppAsync(string name, string json, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, """
            INSERT INTO lct_apps (name, json) VALUES (@name, @json)
            ON CONFLICT (name) DO UPDATE SET json = excluded.json
            """, ("name", name), ("json", _protector.Protect(json)));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<string?> GetAppAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT json FROM lct_apps WHERE name = @name", ("name", name));
        var stored = (string?)await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return stored is null ? null : _protector.Unprotect(stored);
    }

    // xmin is the id of the transaction that wrote the row's current version: it changes with every import, on any replica.
    public async Task<string?> GetAppStampAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT xmin::text FROM lct_apps WHERE name = @name", ("name", name));
        return (string?)await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT name FROM lct_apps ORDER BY name COLLATE \"C\"");
        return await StoreRows.ReadStringsAsync(command, ct).ConfigureAwait(false);
    }

    async Task<bool> IDefinitionRepository.DeleteAppAsync(string name, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using var deleteApp = Command(connection, "DELETE FROM lct_apps WHERE name = @app", ("app", name));
        deleteApp.Transaction = tx;
        var existed = await deleteApp.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(BatchCommand("DELETE FROM lct_app_keys WHERE app = @app", ("app", name)));
        AddDeleteStoreCommands(batch, name);
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return existed;
    }

    public async Task AddAppKeyAsync(string app, string keyHash, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection,
            "INSERT INTO lct_app_keys (key_hash, app) VALUES (@hash, @app)", ("hash", keyHash), ("app", app));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<string?> FindAppByKeyHashAsync(string keyHash, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT app FROM lct_app_keys WHERE key_hash = @hash", ("hash", keyHash));
        return (string?)await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }
}
