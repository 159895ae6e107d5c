using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Host.Contracts;

/// <summary>An imported app: its name, pages and module instances.</summary>
public sealed record AppImportResponse(string Name, IReadOnlyList<string> Pages, IReadOnlyList<string> Modules)
{
    public static AppImportResponse From(CompiledApp app) =>
        new(app.Definition.Name, [.. app.Definition.Pages.Select(p => p.Name)], [.. app.Definition.Modules.Select(m => m.Name)]);
}
