using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>An app validated and planned: what the runtime needs to open sessions and load pages.</summary>
public sealed record CompiledApp(
    AppDefinition Definition,
    IReadOnlyDictionary<string, CompiledModule> Modules,
    IReadOnlyDictionary<string, PagePlan> Pages,
    IReadOnlyList<ScriptModuleSpec> ScriptModules)
{
    public DatasourceDefinition? FindDatasource(string? name) =>
        name is null ? null : Definition.Datasources.FirstOrDefault(d => d.Name == name);
}
