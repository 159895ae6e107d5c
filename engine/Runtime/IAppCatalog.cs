using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>Publishes modules and imports apps (validated, then stored), and serves compiled apps to the runtime.</summary>
public interface IAppCatalog
{
    /// <summary>Publishes an immutable module version from module.json text with <c>"code"</c> holding main.js.</summary>
    Task<DefinitionResult<ModuleDefinition>> PublishModuleAsync(string name, string version, string json, CancellationToken ct = default);

    Task<IReadOnlyList<string>> ListModulesAsync(CancellationToken ct = default);

    /// <summary>The published versions of a module, oldest first; empty when there is none.</summary>
    Task<IReadOnlyList<string>> ListModuleVersionsAsync(string name, CancellationToken ct = default);

    /// <summary>
    /// Validates and stores an app definition (app.json text). Nothing is stored when it is rejected. A secret sent as
    /// <see cref="StoredSecrets.Placeholder"/> (as exported) keeps the value stored at the same place.
    /// </summary>
    Task<DefinitionResult<CompiledApp>> ImportAppAsync(string name, string json, CancellationToken ct = default);

    /// <summary>The stored app.json text with its secrets masked (<see cref="StoredSecrets"/>), or null.</summary>
    Task<string?> ExportAppAsync(string name, CancellationToken ct = default);

    Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken ct = default);

    /// <summary>Removes the app, its keys, its store and its sessions. False when there was no such app.</summary>
    Task<bool> DeleteAppAsync(string name, CancellationToken ct = default);

    /// <summary>The compiled app, loaded from the repository on first use; null when there is no such app.</summary>
    Task<CompiledApp?> GetAsync(string name, CancellationToken ct = default);
}
