using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>An app validated and planned: what the runtime needs to open sessions and load pages.</summary>
public sealed record CompiledApp(
    AppDefinition Definition,
    IReadOnlyDictionary<string, CompiledModule> Modules,
    IReadOnlyDictionary<string, PagePlan> Pages,
    JsonArray ScriptModules)
{
    public DatasourceDefinition? FindDatasource(string? name) =>
        name is null ? null : Definition.Datasources.FirstOrDefault(d => d.Name == name);
}
