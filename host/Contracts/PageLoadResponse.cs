using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Host.Contracts;

/// <summary>A loaded page: the session to continue with, the page-load actions, the widgets' evaluated properties, the console output.</summary>
public sealed record PageLoadResponse(
    string SessionId, IReadOnlyList<ActionReportResponse> Actions, JsonObject Widgets, IReadOnlyList<ScriptLogResponse> Logs)
{
    public static PageLoadResponse From(PageLoadResult result) =>
        new(result.SessionId, [.. result.Actions.Select(ActionReportResponse.From)], result.Widgets,
            [.. result.Logs.Select(ScriptLogResponse.From)]);
}
