using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>A module instance of an app, resolved to a published version, with its inputs merged over the defaults.</summary>
public sealed record CompiledModule(
    ModuleInstanceDefinition Instance,
    ModuleDefinition Module,
    IReadOnlyList<ModuleMember> Members,
    JsonObject Inputs,
    IReadOnlySet<string> SecretInputs)
{
    public string Name => Instance.Name;
    public IEnumerable<string> Functions => Members.Where(m => m.IsFunction).Select(m => m.Name);
    public bool IsSingleFlight(string function) => Module.SingleFlight.Contains(function, StringComparer.Ordinal);
    public QueryDefinition? FindQuery(string name) => Module.Queries.FirstOrDefault(q => q.Name == name);
}
