using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Host.Contracts;

/// <summary>
/// An action as the viewer shows it: no <c>data</c> and no <c>responseMeta</c>. The browser sees only what widgets bind,
/// so a token function's result (its <c>.data</c>) never travels to it, masked or not.
/// </summary>
public sealed record ViewerActionResponse(string Name, string Kind, int? Layer, string Status, string? Error, double DurationMs)
{
    public static ViewerActionResponse From(ActionReport report) =>
        new(report.Name, report.Kind, report.Layer, report.Status, report.Error, report.DurationMs);
}
