namespace LowCodeTokens.Engine.Storage;

/// <summary>Where module versions, app definitions and app keys live (the same database as the store).</summary>
public interface IDefinitionRepository
{
    /// <summary>Adds an immutable module version. False when that version exists already (nothing is changed).</summary>
    Task<bool> TryAddModuleVersionAsync(string name, string version, string json, CancellationToken ct = default);
    Task<string?> GetModuleVersionAsync(string name, string version, CancellationToken ct = default);
    Task<IReadOnlyList<string>> ListModuleVersionsAsync(string name, CancellationToken ct = default);
    Task<IReadOnlyList<string>> ListModulesAsync(CancellationToken ct = default);

    Task PutAppAsync(string name, string json, CancellationToken ct = default);
    Task<string?> GetAppAsync(string name, CancellationToken ct = default);
    /// <summary>
    /// A value that changes whenever the app's stored definition changes (here or on another replica), or null when there is
    /// no such app: what lets a compiled app be reused without reading and decrypting its definition again.
    /// </summary>
    Task<string?> GetAppStampAsync(string name, CancellationToken ct = default);
    Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken ct = default);
    /// <summary>Removes the app, its keys and its store. False when there was no such app.</summary>
    Task<bool> DeleteAppAsync(string name, CancellationToken ct = default);

    Task AddAppKeyAsync(string app, string keyHash, CancellationToken ct = default);
    Task<string?> FindAppByKeyHashAsync(string keyHash, CancellationToken ct = default);
}
