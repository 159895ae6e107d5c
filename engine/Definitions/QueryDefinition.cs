using System.Text.Json;

namespace LowCodeTokens.Engine.Definitions;

/// <summary>A REST query. Every string may hold <c>{{ }}</c> bindings.</summary>
public sealed record QueryDefinition
{
    public required string Name { get; init; }
    public string? Datasource { get; init; }
    public string Method { get; init; } = "GET";
    public string Url { get; init; } = "";
    public Dictionary<string, string> Headers { get; init; } = new();
    public Dictionary<string, string> QueryParams { get; init; } = new();
    /// <summary><c>json</c> (default when a body is given), <c>form</c>, <c>text</c> or <c>none</c>.</summary>
    public string? BodyType { get; init; }
    /// <summary>A JSON object/array whose string values are templates, or a string template (smart JSON substitution for <c>json</c>).</summary>
    public JsonElement? Body { get; init; }
    public int? TimeoutMs { get; init; }
    public bool RunOnPageLoad { get; init; }
    /// <summary>A function to call when the query is answered 401, e.g. <c>Auth_Module.refreshAccessToken</c>; the query is then re-run once.</summary>
    public string? OnUnauthorized { get; init; }
}
