using System.Text.Json.Nodes;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>One action a page load or run executed: a query, a JS object function or a module function.</summary>
public sealed record ActionReport
{
    public required string Name { get; init; }
    /// <summary><c>query</c> or <c>function</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>The page-load layer, or null for actions that code called.</summary>
    public int? Layer { get; set; }
    /// <summary><c>success</c> or <c>error</c>.</summary>
    public required string Status { get; init; }
    public JsonNode? Data { get; init; }
    public JsonNode? ResponseMeta { get; init; }
    public string? Error { get; init; }
    public double DurationMs { get; init; }
}
