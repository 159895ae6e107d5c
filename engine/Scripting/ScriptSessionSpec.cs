namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// What one session's scripts hold: the page (its queries, JS objects, the module instances it may call, its widgets)
/// and each module instance (its code, inputs and private queries). Built once per compiled app and page, shared by
/// every session opened from them: engines cache what they prepare from a spec by reference.
/// </summary>
public sealed record ScriptSessionSpec(string App, ScriptPageSpec Page, IReadOnlyList<ScriptModuleSpec> Modules);

/// <summary>
/// The page entity: queries, JS objects (code with <c>export default { ... }</c>), module proxies and widgets.
/// <see cref="HoldsNoState"/>: no JS object keeps state of its own and no binding changes anything, so the page's state is
/// its queries' data, its functions' <c>fn.data</c> and its widgets' values, which the runtime can keep without an engine.
/// </summary>
public sealed record ScriptPageSpec(
    IReadOnlyList<ScriptQuerySpec> Queries,
    IReadOnlyList<ScriptCodeSpec> JsObjects,
    IReadOnlyList<ScriptModuleProxySpec> Modules,
    IReadOnlyList<ScriptWidgetSpec> Widgets,
    bool HoldsNoState = false);

/// <summary>
/// A query as scripts see it: its <c>{{ }}</c> expressions (evaluated in order before each run) with the field each comes
/// from, the function to call on 401, and the module functions whose <c>.data</c> its bindings read (called again before
/// the re-run after 401).
/// </summary>
public sealed record ScriptQuerySpec(
    string Name,
    IReadOnlyList<string> Expressions,
    IReadOnlyList<string> Labels,
    string? OnUnauthorized = null,
    IReadOnlyList<string>? ModuleData = null);

/// <summary>Code that exports a default object under the global <see cref="Name"/>; <see cref="File"/> names it in errors.</summary>
public sealed record ScriptCodeSpec(string Name, string Code, string File);

/// <summary>
/// A module instance: its main object, its inputs (a JSON object) and its private queries. <see cref="HoldsNoState"/>: its
/// code keeps no state of its own between calls (its state is the store's and its functions' <c>fn.data</c>).
/// </summary>
public sealed record ScriptModuleSpec(ScriptCodeSpec Main, string InputsJson, IReadOnlyList<ScriptQuerySpec> Queries, bool HoldsNoState = false)
{
    public string Name => Main.Name;
}

/// <summary>The functions of a module instance that page code may call (<c>Auth_Module.getAccessToken()</c>).</summary>
public sealed record ScriptModuleProxySpec(string Name, IReadOnlyList<string> Functions);

public sealed record ScriptWidgetSpec(string Name, string Type);

/// <summary>
/// One widget property to evaluate: literal text and <c>{{ }}</c> expressions. A property that is exactly one binding
/// (<see cref="Single"/>) yields the raw value; mixed text substitutes values as text (objects as JSON).
/// </summary>
public sealed record ScriptWidgetBinding(string Widget, string Property, bool Single, IReadOnlyList<ScriptTextSegment> Segments);

/// <summary>Literal <see cref="Text"/>, or a binding when <see cref="IsExpression"/>.</summary>
public sealed record ScriptTextSegment(string Text, bool IsExpression);
