using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Tests.Storage;

public sealed class StorageServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AddLowCodeStorage_Sqlite_OneStoreServesBothContractsWithInProcessLock()
    {
        using var services = StorageServices.Build(o => o.DataDir = _dir.Path);

        var store = services.GetRequiredService<IAppStore>();

        var cached = Assert.IsType<CachedAppStore>(store);
        Assert.IsType<SqliteStore>(cached.Inner);
        Assert.False(cached.ChecksVersions); // one host process per SQLite file: its own writes keep the cache current
        Assert.Same(cached.Inner, services.GetRequiredService<IDefinitionRepository>());
        Assert.IsType<InProcessStoreLock>(services.GetRequiredService<IStoreLock>());
        Assert.IsType<DataProtectionValueProtector>(services.GetRequiredService<IValueProtector>());
        Assert.Contains(services.GetServices<IHostedService>(), s => s is StoreSchemaStartup);
    }

    [Fact]
    public void AddLowCodeStorage_UnknownProvider_ThrowsNamingTheSetting()
    {
        using var services = StorageServices.Build(o => { o.DataDir = _dir.Path; o.Store.Provider = "mongo"; });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IAppStore>());

        Assert.Contains("LowCodeTokens:Store:Provider", error.Message);
        Assert.Contains("mongo", error.Message);
    }

    [Fact]
    public void StoreOptionsValidator_PostgresWithoutConnectionString_Fails()
    {
        var options = new Engine.LowCodeEngineOptions { Store = { Provider = "postgres" } };

        var result = new StoreOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("LowCodeTokens:Store:ConnectionString", result.FailureMessage);
    }
}
