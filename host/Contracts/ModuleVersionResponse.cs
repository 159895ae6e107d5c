using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Host.Contracts;

/// <summary>A published module version. Input names only: defaults may be secrets.</summary>
public sealed record ModuleVersionResponse(
    string Name, string Version, IReadOnlyList<string> Inputs, IReadOnlyList<string> SingleFlight, IReadOnlyList<string> Queries)
{
    public static ModuleVersionResponse From(ModuleDefinition module) =>
        new(module.Name, module.Version, [.. module.Inputs.Keys], [.. module.SingleFlight], [.. module.Queries.Select(q => q.Name)]);
}
