using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace LowCodeTokens.Tests.Storage;

public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeValueProtector _protector = new();
    private readonly SqliteStore _store;

    public SqliteStoreTests() => _store = new SqliteStore(ConnectionString, _protector);

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir.Path, "test.db") }.ToString();
    private protected override IAppStore Store => _store;
    private protected override IDefinitionRepository Definitions => _store;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ApplyAsync_SetValue_StoresOnlyProtectedText()
    {
        await _store.ApplyAsync("crm", "app", [StoreWrite.Set("token", "\"plain\"")]);

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM lct_store_values";
        var raw = (string?)await command.ExecuteScalarAsync();

        Assert.StartsWith("fake:", raw);
        Assert.Equal("\"plain\"", _protector.Unprotect(raw!));
        Assert.Equal("\"plain\"", (await _store.ReadAsync("crm", "app")).Values["token"]);
    }

    [Fact]
    public async Task EnsureCreatedAsync_NewFile_UsesWriteAheadLog()
    {
        await _store.EnsureCreatedAsync();
        await _store.EnsureCreatedAsync();

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task DeleteAppAsync_ThreeLargeScopes_ShrinksTheDatabaseFile()
    {
        var value = "\"" + new string('x', 300_000) + "\"";
        await _store.PutAppAsync("big", "{}");
        await _store.PutAppAsync("small", "{}");
        await _store.ApplyAsync("small", "app", [StoreWrite.Set("token", "1")]);
        foreach (var scope in new[] { "alice", "bob", "carol" })
            await _store.ApplyAsync("big", scope, [.. Enumerable.Range(0, 10).Select(i => StoreWrite.Set($"k{i}", value))]);
        var before = await CheckpointedFileSizeAsync();

        Assert.True(await ((IDefinitionRepository)_store).DeleteAppAsync("big"));

        var after = await CheckpointedFileSizeAsync();
        Assert.True(before > 9_000_000, $"the test's data should fill the file ({before:N0} bytes)");
        Assert.True(after < before / 10, $"the file kept {after:N0} of {before:N0} bytes after the app's store was deleted");
        Assert.Equal("1", (await _store.ReadAsync("small", "app")).Values["token"]);
    }

    [Fact]
    public async Task EnsureCreatedAsync_FileMadeWithoutIncrementalVacuum_SwitchesItAndKeepsItsData()
    {
        await using (var connection = new SqliteConnection(UnpooledConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE lct_apps (name TEXT NOT NULL PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID; "
                + "INSERT INTO lct_apps VALUES ('old', $json);";
            command.Parameters.AddWithValue("$json", _protector.Protect("{}"));
            await command.ExecuteNonQueryAsync();
        }
        Assert.Equal(0L, await AutoVacuumAsync());

        await _store.EnsureCreatedAsync();

        Assert.Equal(2L, await AutoVacuumAsync()); // 2 = INCREMENTAL
        Assert.Equal("{}", await _store.GetAppAsync("old"));
    }

    // Unpooled: a connection kept open in a pool goes on reporting the mode the file had when it opened.
    private string UnpooledConnectionString => new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString();

    private async Task<long> AutoVacuumAsync()
    {
        await using var connection = new SqliteConnection(UnpooledConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA auto_vacuum";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // The size of the database file once the write-ahead log is written into it, so that both measures compare the same thing.
    private async Task<long> CheckpointedFileSizeAsync()
    {
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await command.ExecuteNonQueryAsync();
        }
        return new FileInfo(Path.Combine(_dir.Path, "test.db")).Length;
    }

    [Fact]
    public async Task OpenAsync_ForWrite_SyncsEveryCommit()
    {
        await using var connection = await _store.OpenAsync(forWrite: true, CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";

        Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!); // 2 = FULL
    }

    [Fact]
    public async Task ReadAsync_NewStoreInstanceOnSameFile_SeesEarlierWrites()
    {
        await _store.ApplyAsync("crm", "alice", [StoreWrite.Set("refresh", "\"r1\"")]);
        await _store.TryAddModuleVersionAsync("Auth", "1.0.0", "{}");
        SqliteConnection.ClearAllPools();

        var reopened = new SqliteStore(ConnectionString, _protector);

        var snapshot = await reopened.ReadAsync("crm", "alice");
        Assert.Equal("\"r1\"", snapshot.Values["refresh"]);
        Assert.Equal(1, snapshot.Version);
        Assert.False(await reopened.TryAddModuleVersionAsync("Auth", "1.0.0", "{}"));
    }
}
