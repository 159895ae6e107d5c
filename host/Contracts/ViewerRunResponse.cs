using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Host.Contracts;

/// <summary>
/// A widget event run for the viewer: no <c>result</c> (a button bound to <c>Auth_Module.getAccessToken()</c> would
/// otherwise hand the token to the browser); what changed reaches it through the re-evaluated widgets.
/// </summary>
public sealed record ViewerRunResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RunErrorResponse? Error,
    IReadOnlyList<ViewerActionResponse> Actions,
    JsonObject Widgets,
    IReadOnlyList<ScriptLogResponse> Logs)
{
    public static ViewerRunResponse From(RunResult result) =>
        new(result.Error is null ? null : RunErrorResponse.From(result.Error),
            [.. result.Actions.Select(ViewerActionResponse.From)], result.Widgets, [.. result.Logs.Select(ScriptLogResponse.From)]);
}
