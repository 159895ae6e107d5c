using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Tests.Host;

/// <summary>A catalog over <see cref="FakeDefinitionRepository"/> that only checks JSON syntax, a <c>code</c> field and duplicates.</summary>
internal sealed class FakeAppCatalog(FakeDefinitionRepository repository) : IAppCatalog
{
    /// <summary>When set, listing modules throws it (to exercise the 500 path).</summary>
    public Exception? ListModulesFailure { get; set; }

    public async Task<DefinitionResult<ModuleDefinition>> PublishModuleAsync(string name, string version, string json, CancellationToken ct = default)
    {
        if (Parse(json, "module.json") is { } syntax)
            return DefinitionResult<ModuleDefinition>.Fail(DefinitionFailure.Invalid, syntax);
        if (JsonNode.Parse(json)?["code"] is null)
            return DefinitionResult<ModuleDefinition>.Fail(DefinitionFailure.Invalid,
                new DefinitionProblem("module.json", "$.code", "'code' is required."),
                new DefinitionProblem("module.json", "$.inputs", "'inputs' must be an object."));
        if (!await repository.TryAddModuleVersionAsync(name, version, json, ct))
            return DefinitionResult<ModuleDefinition>.Fail(DefinitionFailure.Conflict,
                new DefinitionProblem("module.json", "$.version", $"{name}@{version} is published already."));
        return DefinitionResult<ModuleDefinition>.Ok(new ModuleDefinition { Name = name, Version = version, SingleFlight = ["getAccessToken"] });
    }

    public Task<IReadOnlyList<string>> ListModulesAsync(CancellationToken ct = default) =>
        ListModulesFailure is { } failure ? Task.FromException<IReadOnlyList<string>>(failure) : repository.ListModulesAsync(ct);

    public Task<IReadOnlyList<string>> ListModuleVersionsAsync(string name, CancellationToken ct = default) =>
        repository.ListModuleVersionsAsync(name, ct);

    public async Task<DefinitionResult<CompiledApp>> ImportAppAsync(string name, string json, CancellationToken ct = default)
    {
        if (Parse(json, "app.json") is { } syntax)
            return DefinitionResult<CompiledApp>.Fail(DefinitionFailure.Invalid, syntax);
        var definition = JsonSerializer.Deserialize<AppDefinition>(json, JsonSerializerOptions.Web)!;
        await repository.PutAppAsync(name, json, ct);
        return DefinitionResult<CompiledApp>.Ok(new CompiledApp(definition, new Dictionary<string, CompiledModule>(),
            new Dictionary<string, PagePlan>(), []));
    }

    public Task<string?> ExportAppAsync(string name, CancellationToken ct = default) => repository.GetAppAsync(name, ct);

    public Task<IReadOnlyList<string>> ListAppsAsync(CancellationToken ct = default) => repository.ListAppsAsync(ct);

    public Task<bool> DeleteAppAsync(string name, CancellationToken ct = default) => repository.DeleteAppAsync(name, ct);

    public Task<CompiledApp?> GetAsync(string name, CancellationToken ct = default) => Task.FromResult<CompiledApp?>(null);

    private static DefinitionProblem? Parse(string json, string file)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
            return null;
        }
        catch (JsonException e)
        {
            return new DefinitionProblem(file, e.Path ?? "$", "Invalid JSON.", (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
        }
    }
}
