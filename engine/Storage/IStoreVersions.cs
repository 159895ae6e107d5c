namespace LowCodeTokens.Engine.Storage;

/// <summary>The current version of an (app, scope) store without its values: what a cache asks a shared database.</summary>
internal interface IStoreVersions
{
    /// <summary>The version <see cref="IAppStore.ReadAsync"/> would return now (0 for a store never written).</summary>
    Task<long> ReadVersionAsync(string app, string scope, CancellationToken ct = default);
}
