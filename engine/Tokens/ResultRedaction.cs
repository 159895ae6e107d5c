using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Tokens;

/// <summary>
/// Masks what a page load or run returns (SPEC §5): the actions' data, response metadata and errors, and the console
/// output. Widgets are left as evaluated: an app may bind a token into a widget on purpose.
/// </summary>
internal static class ResultRedaction
{
    /// <summary>
    /// Known secrets of an (app, scope): secret module inputs, and the token-like string values the session's store view has
    /// held — before this request and after it, so that a token replaced by a refresh or rotation is masked too.
    /// </summary>
    public static Redactor For(CompiledApp compiled, SessionStore store)
    {
        var secrets = new List<string>(store.SecretsSeen);
        foreach (var module in compiled.Modules.Values)
            foreach (var name in module.SecretInputs)
                if (module.Inputs[name]?.GetValueKind() == JsonValueKind.String) secrets.Add(module.Inputs[name]!.GetValue<string>());
        return new Redactor(secrets);
    }

    public static PageLoadResult Apply(Redactor r, PageLoadResult result) =>
        result with { Actions = Reports(r, result.Actions), Widgets = WidgetErrors(r, result.Widgets), Logs = Logs(r, result.Logs) };

    public static RunResult Apply(Redactor r, RunResult result) =>
        result with { Error = Error(r, result.Error), Actions = Reports(r, result.Actions), Widgets = WidgetErrors(r, result.Widgets), Logs = Logs(r, result.Logs) };

    /// <summary>A widget's values stay as bound (an app may show a token on purpose); its binding errors are masked like any error.</summary>
    private static JsonObject WidgetErrors(Redactor r, JsonObject widgets)
    {
        foreach (var (_, widget) in widgets)
            if (widget is JsonObject { } w && w["errors"] is JsonObject errors)
                foreach (var property in errors.Select(p => p.Key).ToList())
                    if (errors[property] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                        errors[property] = r.Text(v.GetValue<string>());
        return widgets;
    }

    private static List<ActionReport> Reports(Redactor r, IReadOnlyList<ActionReport> reports) =>
        reports.Select(a => a with { Data = r.Json(a.Data), ResponseMeta = r.Json(a.ResponseMeta), Error = a.Error is null ? null : r.Text(a.Error) }).ToList();

    private static List<ScriptLog> Logs(Redactor r, IReadOnlyList<ScriptLog> logs) =>
        logs.Select(l => l with { Text = r.Text(l.Text) }).ToList();

    private static ScriptError? Error(Redactor r, ScriptError? error) =>
        error is null ? null : error with { Message = r.Text(error.Message), Stack = error.Stack is null ? null : r.Text(error.Stack) };
}
