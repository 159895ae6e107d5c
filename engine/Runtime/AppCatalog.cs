using System.Collections.Concurrent;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>Definitions go through the compiler before they are stored; compiled apps are cached per process.</summary>
internal sealed class AppCatalog(AppCompiler compiler, IDefinitionRepository repository, IAppStore store, SessionManager sessions,
    Tokens.ITokenEventLog events) : IAppCatalog
{
    private readonly ConcurrentDictionary<string, (string Stamp, CompiledApp App)> _apps = new(StringComparer.Ordinal);

    public async Task<DefinitionResult<ModuleDefinition>> PublishModuleAsync(string name, string version, string json, CancellationToken ct = default)
    {
        var checkedModule = await compiler.CheckModuleAsync(name, version, json, ct);
        if (!checkedModule.WasSuccessful(out var module, out _)) return checkedModule;
        if (CaseClash(name, await repository.ListModulesAsync(ct)) is { } taken)
            return DefinitionResult<ModuleDefinition>.Fail(DefinitionFailure.Conflict,
                new DefinitionProblem("module.json", "name", $"a module named '{taken}' exists; module names are unique ignoring case"));
        if (!await repository.TryAddModuleVersionAsync(name, version, json, ct))
            return DefinitionResult<ModuleDefinition>.Fail(DefinitionFailure.Conflict,
                new DefinitionProblem("module.json", "version", $"{name}@{version} is already published; versions are immutable, publish a new one"));
        return checkedModule;
    }

    public Task<IReadOnlyList<string>> ListModulesAsync(CancellationToken ct = default) => repository.ListModulesAsync(ct);

    public Task<IReadOnlyList<string>> ListModuleVersionsAsync(string name, CancellationToken ct = default) => repository.ListModuleVersionsAsync(name, ct);

    public async Task<DefinitionResult<CompiledApp>> ImportAppAsync(string name, string json, CancellationToken ct = default)
    {
        // An exported definition sent back keeps the secrets it shows masked.
        if (json.Contains(StoredSecrets.Placeholder, StringComparison.Ordinal))
        {
            var (restored, problem) = StoredSecrets.Restore(json, await repository.GetAppAsync(name, ct));
            if (problem is not null) return DefinitionResult<CompiledApp>.Fail(DefinitionFailure.Invalid, problem);
            json = restored;
        }
        var result = await compiler.CompileAsync(name, json, ct);
        if (!result.WasSuccessful(out var app, out _)) return result;
        if (CaseClash(name, await repository.ListAppsAsync(ct)) is { } taken)
            return DefinitionResult<CompiledApp>.Fail(DefinitionFailure.Conflict,
                new DefinitionProblem("app.json", "name", $"an app named '{taken}' exists; app names are unique ignoring case"));
        await repository.PutAppAsync(name, json, ct);
        if (await repository.GetAppStampAsync(name, ct) is { } stamp) _apps[name] = (stamp, app);
        return result;
    }

    public async Task<string?> ExportAppAsync(string name, CancellationToken ct = default)
    {
        var json = await repository.GetAppAsync(name, ct);
        if (json is null) return null;
        var app = await GetAsync(name, ct);
        return app is null ? json : StoredSecrets.Mask(json, app);
    }

    /// <summary>
    /// Another name that differs from <paramref name="name"/> only by case: <c>alpha</c> and <c>Alpha</c> would be two apps
    /// (two stores, two key sets) that people and URLs confuse.
    /// </summary>
    internal static string? CaseClash(string name, IEnumerable<string> existing) =>
        existing.FirstOrDefault(n => !string.Equals(n, name, StringComparison.Ordinal) && string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    public Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken ct = default) => repository.ListAppsAsync(ct);

    public async Task<bool> DeleteAppAsync(string name, CancellationToken ct = default)
    {
        var deleted = await repository.DeleteAppAsync(name, ct);
        await store.DeleteAppAsync(name, ct);
        _apps.TryRemove(name, out _);
        sessions.RemoveApp(name);
        events.RemoveApp(name);
        return deleted;
    }

    public async Task<CompiledApp?> GetAsync(string name, CancellationToken ct = default)
    {
        // Another replica may have imported a new definition: the stored definition's stamp decides which compiled app is
        // current, without reading and decrypting the definition on every page load.
        var stamp = await repository.GetAppStampAsync(name, ct);
        if (stamp is null)
        {
            _apps.TryRemove(name, out _);
            return null;
        }
        if (_apps.TryGetValue(name, out var cached) && cached.Stamp == stamp) return cached.App;
        var json = await repository.GetAppAsync(name, ct);
        if (json is null)
        {
            _apps.TryRemove(name, out _);
            return null;
        }
        var result = await compiler.CompileAsync(name, json, ct);
        if (!result.WasSuccessful(out var app, out var problems))
            throw new InvalidOperationException($"The stored definition of app '{name}' no longer compiles: {problems.FirstOrDefault()?.Message}");
        // Stamped with what was read before the definition: a change in between only costs one more compile.
        _apps[name] = (stamp, app);
        return app;
    }
}
