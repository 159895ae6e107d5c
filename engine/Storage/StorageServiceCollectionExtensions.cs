using LowCodeTokens.Engine.Storage.Postgres;
using LowCodeTokens.Engine.Storage.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAppStore"/>, <see cref="IDefinitionRepository"/> (one instance serves both),
    /// <see cref="IStoreLock"/> and <see cref="IValueProtector"/> for the provider named by <c>LowCodeTokens:Store:Provider</c>.
    /// </summary>
    public static IServiceCollection AddLowCodeStorage(this IServiceCollection services)
    {
        services.AddOptions<LowCodeEngineOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LowCodeEngineOptions>, StoreOptionsValidator>());

        // A fixed application name: the default (the content root path) would make keys of one replica,
        // or of the same host started from another folder, unable to read values written by another.
        services.AddDataProtection().SetApplicationName("LowCodeTokens");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KeyManagementOptions>, ConfigureKeyRepository>());
        services.TryAddSingleton<IValueProtector, DataProtectionValueProtector>();

        services.TryAddSingleton(sp => new SqliteStore(
            SqliteStore.ConnectionStringFor(Options(sp)), sp.GetRequiredService<IValueProtector>()));
        services.TryAddSingleton<InProcessStoreLock>();
        services.TryAddSingleton(sp => new PostgresStore(
            PostgresConnectionString(sp), sp.GetRequiredService<IValueProtector>()));
        services.TryAddSingleton(sp => new PostgresStoreLock(PostgresConnectionString(sp)));

        // Reads served from memory; for PostgreSQL (shared by replicas) each read first checks the version.
        services.TryAddSingleton<IAppStore>(sp => SelectStore(sp) is var store && store is IStoreVersions versions
            ? new CachedAppStore((IAppStore)store, versions)
            : new CachedAppStore((IAppStore)store, null));
        services.TryAddSingleton<IDefinitionRepository>(sp => (IDefinitionRepository)SelectStore(sp));
        services.TryAddSingleton<IStoreSchema>(sp => (IStoreSchema)SelectStore(sp));
        services.TryAddSingleton<IStoreLock>(sp => SelectLock(sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StoreSchemaStartup>());
        return services;
    }

    private static LowCodeEngineOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<LowCodeEngineOptions>>().Value;

    private static object SelectStore(IServiceProvider sp)
    {
        var store = Options(sp).Store;
        if (StoreProviders.IsSqlite(store))
            return sp.GetRequiredService<SqliteStore>();
        if (StoreProviders.IsPostgres(store))
            return sp.GetRequiredService<PostgresStore>();
        throw StoreProviders.Unknown(store);
    }

    private static IStoreLock SelectLock(IServiceProvider sp)
    {
        var store = Options(sp).Store;
        if (StoreProviders.IsSqlite(store))
            return sp.GetRequiredService<InProcessStoreLock>();
        if (StoreProviders.IsPostgres(store))
            return sp.GetRequiredService<PostgresStoreLock>();
        throw StoreProviders.Unknown(store);
    }

    private static string PostgresConnectionString(IServiceProvider sp) =>
        Options(sp).Store.ConnectionString is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                $"LowCodeTokens:Store:ConnectionString is required when {StoreProviders.Setting} is '{StoreProviders.Postgres}'.");

    /// <summary>
    /// Where Data Protection keeps its key ring: for SQLite <c>{DataDir}/keys</c> (as <c>PersistKeysToFileSystem</c> does, but read
    /// from options); for PostgreSQL the shared database, so that all replicas use the same keys.
    /// </summary>
    private sealed class ConfigureKeyRepository(IOptions<LowCodeEngineOptions> options, ILoggerFactory? loggerFactory = null)
        : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions keyOptions)
        {
            var engine = options.Value;
            if (StoreProviders.IsPostgres(engine.Store) && !string.IsNullOrWhiteSpace(engine.Store.ConnectionString))
            {
                keyOptions.XmlRepository = new PostgresXmlRepository(engine.Store.ConnectionString);
                return;
            }
            var directory = new DirectoryInfo(Path.Combine(Path.GetFullPath(engine.DataDir), "keys"));
            keyOptions.XmlRepository = new FileSystemXmlRepository(directory, loggerFactory ?? NullLoggerFactory.Instance);
        }
    }
}
