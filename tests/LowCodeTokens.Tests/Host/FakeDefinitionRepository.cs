using System.Collections.Concurrent;
using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Tests.Host;

/// <summary>In-memory definitions and app key hashes.</summary>
internal sealed class FakeDefinitionRepository : IDefinitionRepository
{
    private readonly ConcurrentDictionary<(string Name, string Version), string> _modules = new();
    private readonly ConcurrentDictionary<string, string> _apps = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> KeyHashes { get; } = new(StringComparer.Ordinal);

    public Task<bool> TryAddModuleVersionAsync(string name, string version, string json, CancellationToken ct = default) =>
        Task.FromResult(_modules.TryAdd((name, version), json));

    public Task<string?> GetModuleVersionAsync(string name, string version, CancellationToken ct = default) =>
        Task.FromResult(_modules.GetValueOrDefault((name, version)));

    public Task<IReadOnlyList<string>> ListModuleVersionsAsync(string name, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. _modules.Keys.Where(k => k.Name == name).Select(k => k.Version).Order()]);

    public Task<IReadOnlyList<string>> ListModulesAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. _modules.Keys.Select(k => k.Name).Distinct().Order()]);

    public Task PutAppAsync(string name, string json, CancellationToken ct = default)
    {
        _apps[name] = json;
        return Task.CompletedTask;
    }

    public Task<string?> GetAppAsync(string name, CancellationToken ct = default) => Task.FromResult(_apps.GetValueOrDefault(name));

    // The definition text itself changes whenever the definition does.
    public Task<string?> GetAppStampAsync(string name, CancellationToken ct = default) => Task.FromResult(_apps.GetValueOrDefault(name));

    public Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. _apps.Keys.Order()]);

    public Task<bool> DeleteAppAsync(string name, CancellationToken ct = default)
    {
        foreach (var key in KeyHashes.Where(k => k.Value == name).Select(k => k.Key).ToList())
            KeyHashes.TryRemove(key, out _);
        return Task.FromResult(_apps.TryRemove(name, out _));
    }

    public Task AddAppKeyAsync(string app, string keyHash, CancellationToken ct = default)
    {
        KeyHashes[keyHash] = app;
        return Task.CompletedTask;
    }

    public Task<string?> FindAppByKeyHashAsync(string keyHash, CancellationToken ct = default) =>
        Task.FromResult(KeyHashes.GetValueOrDefault(keyHash));
}
