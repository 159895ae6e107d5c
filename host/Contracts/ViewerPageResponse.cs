using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Host.Contracts;

/// <summary>
/// A page load for the viewer: the session, the actions without their data, the widgets, the console output, and the
/// signed-in user's display name when the app signs users in.
/// </summary>
public sealed record ViewerPageResponse(
    string SessionId, IReadOnlyList<ViewerActionResponse> Actions, JsonObject Widgets, IReadOnlyList<ScriptLogResponse> Logs)
{
    public string? User { get; init; }

    public static ViewerPageResponse From(PageLoadResult result) =>
        new(result.SessionId, [.. result.Actions.Select(ViewerActionResponse.From)], result.Widgets,
            [.. result.Logs.Select(ScriptLogResponse.From)]);
}
