using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Host.Contracts;

/// <summary>One executed action: <c>kind</c> is <c>query</c> or <c>function</c>, <c>status</c> <c>success</c> or <c>error</c>; <c>layer</c> is null when code called it.</summary>
public sealed record ActionReportResponse(
    string Name, string Kind, int? Layer, string Status, JsonNode? Data, JsonNode? ResponseMeta, string? Error, double DurationMs)
{
    public static ActionReportResponse From(ActionReport report) =>
        new(report.Name, report.Kind, report.Layer, report.Status, report.Data, report.ResponseMeta, report.Error, report.DurationMs);
}
