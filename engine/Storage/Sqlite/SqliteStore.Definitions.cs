namespace LowCodeTokens.Engine.Storage.Sqlite;

// IDefinitionRepository: module versions, apps and app keys.
internal sealed partial class SqliteStore
{
    public async Task<bool> TryAddModuleVersionAsync(string name, string version, string json, CancellationToken ct = default)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(forWrite: true, ct).ConfigureAwait(false);
            // DO NOTHING keeps published versions immutable; the row count says whether this call added it.
            await using var command = Command(connection, """
                INSERT INTO lct_modules (name, version, json) VALUES ($name, $version, $json)
                ON CONFLICT (name, version) DO NOTHING
                """, ("$name", name), ("$version", version), ("$json", json));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<string?> GetModuleVersionAsync(string name, string version, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(forWrite: false, ct).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT json FROM lct_modules WHERE name = $name AND version = $version", ("$name", name), ("$version", version));
        return (string?)await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListModuleVersionsAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(forWrite: false, ct).ConfigureAwait(false);
        // Publish order; semantic-version ordering is the definitions layer's business.
        await using var command = Command(connection, "SELECT version FROM lct_modules WHERE name = $name ORDER BY id", ("$name", name));
        return await StoreRows.ReadStringsAsync(command, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListModulesAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(forWrite: false, ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT DISTINCT name FROM lct_modules ORDER BY name");
        return await StoreRows.ReadStringsAsync(command, ct).ConfigureAwait(false);
    }

    public async Task PutAppAsync(string name, string json, CancellationToken ct = default)
    {
        var protectedJson = _protector.Protect(json);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(forWrite: true, ct).ConfigureAwait(false);
            await using var command = Command(connection, """
                INSERT INTO lct_apps (name, json) VALUES ($name, $json)
                ON CONFLICT (name) DO UPDATE SET json = excluded.json
                """, ("$name", name), ("$json", protectedJson));
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            _appStamps[name] = Interlocked.Increment(ref _nextAppStamp);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // One host process per SQLite file: every change of an app passes through this instance, so a stamp in memory is
    // enough; an app not yet seen since start-up gets one the first time it is looked up.
    public async Task<string?> GetAppStampAsync(string name, CancellationToken ct = default)
    {
        if (_appStamps.TryGetValue(name, out var stamp)) return Stamp(stamp);
        await using var connection = await OpenAsync(forWrite: false, ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT 1 FROM lct_apps WHERE name = $name", ("$name", name));
        if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is null) return null;
        return Stamp(_appStamps.GetOrAdd(name, _ => Interlocked.Increment(ref _nextAppStamp)));
    }

    private static string Stamp(long stamp) => stamp.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<string?> GetAppAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(forWrite: false, ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT json FROM lct_apps WHERE name = $name", ("$name", name));
        var stored = (string?)await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return stored is null ? null : _protector.Unprotect(stored);
    }

    public async Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(forWrite: false, ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT name FROM lct_apps ORDER BY name");
        return await StoreRows.ReadStringsAsync(command, ct).ConfigureAwait(false);
    }

    async Task<bool> IDefinitionRepository.DeleteAppAsync(string name, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(forWrite: true, ct).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using var app = Command(connection, "DELETE FROM lct_apps WHERE name = $app", ("$app", name));
            var existed = await app.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
            await using var keys = Command(connection, "DELETE FROM lct_app_keys WHERE app = $app", ("$app", name));
            await keys.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await DeleteStoreRowsAsync(connection, name, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            _appStamps.TryRemove(name, out _);
            await ReclaimSpaceAsync(connection, ct).ConfigureAwait(false);
            return existed;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task AddAppKeyAsync(string app, string keyHash, CancellationToken ct = default)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(forWrite: true, ct).ConfigureAwait(false);
            await using var command = Command(connection,
                "INSERT INTO lct_app_keys (key_hash, app) VALUES ($hash, $app)", ("$hash", keyHash), ("$app", app));
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<string?> FindAppByKeyHashAsync(string keyHash, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(forWrite: false, ct).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT app FROM lct_app_keys WHERE key_hash = $hash", ("$hash", keyHash));
        return (string?)await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }
}
