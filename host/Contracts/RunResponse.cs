using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Host.Contracts;

/// <summary>A run: its result (null on error), the error when it failed, the actions it caused, the re-evaluated widgets, the console output.</summary>
public sealed record RunResponse(
    JsonNode? Result,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RunErrorResponse? Error,
    IReadOnlyList<ActionReportResponse> Actions,
    JsonObject Widgets,
    IReadOnlyList<ScriptLogResponse> Logs)
{
    public static RunResponse From(RunResult result) =>
        new(result.Result, result.Error is null ? null : RunErrorResponse.From(result.Error),
            [.. result.Actions.Select(ActionReportResponse.From)], result.Widgets, [.. result.Logs.Select(ScriptLogResponse.From)]);
}
