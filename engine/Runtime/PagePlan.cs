using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// A page ready to load: the layers of page-load actions (each layer runs in parallel, layers in order),
/// the widget properties to evaluate (in dependency order), the widgets' properties that need no evaluation
/// (types, literal values, event bindings), and the session spec for the script host.
/// </summary>
public sealed record PagePlan(
    PageDefinition Page,
    IReadOnlyList<IReadOnlyList<PageAction>> Layers,
    JsonArray WidgetItems,
    JsonObject StaticWidgets,
    JsonObject ScriptPage);
