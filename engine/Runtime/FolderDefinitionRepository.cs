using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// The module versions a folder's apps may use while the folder is checked: the folder's own modules over those already
/// published (none when checking without a database). Read-only: only what the compiler reads is answered.
/// </summary>
internal sealed class FolderDefinitionRepository(IReadOnlyDictionary<(string Name, string Version), string> folderModules, IDefinitionRepository? published) : IDefinitionRepository
{
    public async Task<string?> GetModuleVersionAsync(string name, string version, CancellationToken ct = default) =>
        folderModules.TryGetValue((name, version), out var json) ? json
        : published is null ? null : await published.GetModuleVersionAsync(name, version, ct);

    public async Task<IReadOnlyList<string>> ListModuleVersionsAsync(string name, CancellationToken ct = default)
    {
        var versions = published is null ? [] : await published.ListModuleVersionsAsync(name, ct);
        return versions.Concat(folderModules.Keys.Where(k => k.Name == name).Select(k => k.Version)).Distinct(StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<string>> ListModulesAsync(CancellationToken ct = default)
    {
        var names = published is null ? [] : await published.ListModulesAsync(ct);
        return names.Concat(folderModules.Keys.Select(k => k.Name)).Distinct(StringComparer.Ordinal).ToList();
    }

    public Task<bool> TryAddModuleVersionAsync(string name, string version, string json, CancellationToken ct = default) => throw ReadOnly();
    public Task PutAppAsync(string name, string json, CancellationToken ct = default) => throw ReadOnly();
    public Task<string?> GetAppAsync(string name, CancellationToken ct = default) => throw ReadOnly();
    public Task<string?> GetAppStampAsync(string name, CancellationToken ct = default) => throw ReadOnly();
    public Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken ct = default) => throw ReadOnly();
    public Task<bool> DeleteAppAsync(string name, CancellationToken ct = default) => throw ReadOnly();
    public Task AddAppKeyAsync(string app, string keyHash, CancellationToken ct = default) => throw ReadOnly();
    public Task<string?> FindAppByKeyHashAsync(string keyHash, CancellationToken ct = default) => throw ReadOnly();

    private static NotSupportedException ReadOnly() => new("A definitions folder is checked against module versions only.");
}
