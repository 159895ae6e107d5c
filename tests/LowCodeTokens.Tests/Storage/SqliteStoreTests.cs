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
