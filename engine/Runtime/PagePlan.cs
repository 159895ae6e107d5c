using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// A page ready to load: the layers of page-load actions (each layer runs in parallel, layers in order),
/// the widget properties to evaluate (in dependency order), the widgets' properties that need no evaluation
/// (types, literal values, event bindings), and what a session's scripts hold.
/// </summary>
public sealed record PagePlan(
    PageDefinition Page,
    IReadOnlyList<IReadOnlyList<PageAction>> Layers,
    IReadOnlyList<ScriptWidgetBinding> WidgetItems,
    JsonObject StaticWidgets,
    ScriptSessionSpec Script)
{
    /// <summary>The functions the page's JS objects declare, as <c>Object.function</c>: what a run may call on them.</summary>
    public IReadOnlySet<string> JsFunctions { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
