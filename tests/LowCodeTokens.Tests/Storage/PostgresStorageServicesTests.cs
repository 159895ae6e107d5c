using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LowCodeTokens.Tests.Storage;

/// <summary>The PostgreSQL provider as registered by <c>AddLowCodeStorage</c>: two containers stand for two host replicas.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageServicesTests(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _replicaA = new();
    private readonly TempDirectory _replicaB = new();

    public void Dispose()
    {
        _replicaA.Dispose();
        _replicaB.Dispose();
    }

    private ServiceProvider Replica(TempDirectory dataDir) => StorageServices.Build(o =>
    {
        o.DataDir = dataDir.Path;
        o.Store.Provider = "postgres";
        o.Store.ConnectionString = postgres.ConnectionString;
    });

    [Fact]
    public async Task AddLowCodeStorage_Postgres_RegistersPostgresStoreAndAdvisoryLock()
    {
        await using var services = Replica(_replicaA);

        var store = services.GetRequiredService<IAppStore>();

        var cached = Assert.IsType<CachedAppStore>(store);
        Assert.IsType<PostgresStore>(cached.Inner);
        Assert.True(cached.ChecksVersions); // shared by replicas: every read checks the version first
        Assert.Same(cached.Inner, services.GetRequiredService<IDefinitionRepository>());
        Assert.IsType<PostgresStoreLock>(services.GetRequiredService<IStoreLock>());
    }

    [Fact]
    public async Task ReadAsync_ValueWrittenByOtherReplica_IsDecryptedWithSharedKeys()
    {
        const string secret = "pg-s3cr3t-refresh-7d1e";
        var app = $"crm-{Guid.NewGuid():N}";
        await using var a = Replica(_replicaA);
        await using var b = Replica(_replicaB);

        await a.GetRequiredService<IAppStore>().ApplyAsync(app, "alice", [StoreWrite.Set("refresh", $"\"{secret}\"")]);
        var snapshot = await b.GetRequiredService<IAppStore>().ReadAsync(app, "alice");

        Assert.Equal($"\"{secret}\"", snapshot.Values["refresh"]);
        Assert.False(Directory.Exists(Path.Combine(_replicaA.Path, "keys")));
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM lct_dataprotection_keys), (SELECT value FROM lct_store_values WHERE app = @app)", connection);
        command.Parameters.AddWithValue("app", app);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetInt64(0) >= 1);
        Assert.DoesNotContain(secret, reader.GetString(1));
    }
}
