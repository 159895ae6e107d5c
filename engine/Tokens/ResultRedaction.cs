using System.Text.Json;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Tokens;

/// <summary>
/// Masks what a page load or run returns (SPEC §5): the actions' data, response metadata and errors, and the console
/// output. Widgets are left as evaluated: an app may bind a token into a widget on purpose.
/// </summary>
internal static class ResultRedaction
{
    /// <summary>Known secrets of an (app, scope): secret module inputs, and token-like string values of its store (the session's latest view).</summary>
    public static Redactor For(CompiledApp compiled, IReadOnlyDictionary<string, string> storeValues)
    {
        var secrets = new List<string>();
        foreach (var module in compiled.Modules.Values)
            foreach (var name in module.SecretInputs)
                if (module.Inputs[name]?.GetValueKind() == JsonValueKind.String) secrets.Add(module.Inputs[name]!.GetValue<string>());
        foreach (var (key, json) in storeValues)
        {
            if (!Redactor.IsSensitiveKey(key) || json.Length < 10 || json[0] != '"') continue;
            if (JsonSerializer.Deserialize<string>(json) is { Length: >= 8 } value) secrets.Add(value);
        }
        return new Redactor(secrets);
    }

    public static PageLoadResult Apply(Redactor r, PageLoadResult result) =>
        result with { Actions = Reports(r, result.Actions), Logs = Logs(r, result.Logs) };

    public static RunResult Apply(Redactor r, RunResult result) =>
        result with { Error = Error(r, result.Error), Actions = Reports(r, result.Actions), Logs = Logs(r, result.Logs) };

    private static List<ActionReport> Reports(Redactor r, IReadOnlyList<ActionReport> reports) =>
        reports.Select(a => a with { Data = r.Json(a.Data), ResponseMeta = r.Json(a.ResponseMeta), Error = a.Error is null ? null : r.Text(a.Error) }).ToList();

    private static List<ScriptLog> Logs(Redactor r, IReadOnlyList<ScriptLog> logs) =>
        logs.Select(l => l with { Text = r.Text(l.Text) }).ToList();

    private static ScriptError? Error(Redactor r, ScriptError? error) =>
        error is null ? null : error with { Message = r.Text(error.Message), Stack = error.Stack is null ? null : r.Text(error.Stack) };
}
