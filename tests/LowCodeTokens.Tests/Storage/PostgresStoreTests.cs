using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Storage.Postgres;
using Npgsql;

namespace LowCodeTokens.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresFixture postgres) : StoreContractTests, IAsyncLifetime
{
    private readonly FakeValueProtector _protector = new();
    private PostgresStore? _store;

    private protected override IAppStore Store => _store!;
    private protected override IDefinitionRepository Definitions => _store!;

    public Task InitializeAsync()
    {
        _store = new PostgresStore(postgres.ConnectionString, _protector);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store!.DisposeAsync();

    [Fact]
    public async Task ApplyAsync_SetValue_StoresOnlyProtectedText()
    {
        var app = NewName("crm");
        await _store!.ApplyAsync(app, "app", [StoreWrite.Set("token", "\"plain\"")]);

        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT value FROM lct_store_values WHERE app = @app", connection);
        command.Parameters.AddWithValue("app", app);
        var raw = (string?)await command.ExecuteScalarAsync();

        Assert.StartsWith("fake:", raw);
        Assert.Equal("\"plain\"", (await _store.ReadAsync(app, "app")).Values["token"]);
    }

    [Fact]
    public async Task EnsureCreatedAsync_ManyInstancesAtOnce_AllSucceed()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresStore(postgres.ConnectionString, _protector)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.EnsureCreatedAsync())));

            var app = NewName("crm");
            await stores[0].ApplyAsync(app, "app", [StoreWrite.Set("k", "1")]);
            Assert.Equal("1", (await stores[3].ReadAsync(app, "app")).Values["k"]);
        }
        finally
        {
            foreach (var store in stores)
                await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task ApplyAsync_ConcurrentReplicasOnOneScope_VersionsFollowCommits()
    {
        var app = NewName("crm");
        await using var replicaA = new PostgresStore(postgres.ConnectionString, _protector);
        await using var replicaB = new PostgresStore(postgres.ConnectionString, _protector);

        var versions = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() =>
            (i % 2 == 0 ? replicaA : replicaB).ApplyAsync(app, "app", [StoreWrite.Set($"k{i}", "1")]))));

        Assert.Equal(Enumerable.Range(1, 30).Select(v => (long)v), versions.Order());
        Assert.Equal(30, (await replicaA.ReadAsync(app, "app")).Values.Count);
    }
}
