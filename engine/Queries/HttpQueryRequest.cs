using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Engine.Queries;

/// <summary>A query with all bindings substituted, ready to send.</summary>
public sealed record HttpQueryRequest
{
    public required string QueryName { get; init; }
    public string Method { get; init; } = "GET";
    /// <summary>Absolute, or relative to the datasource's base URL.</summary>
    public required string Url { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> QueryParams { get; init; } = [];
    public HttpQueryBody? Body { get; init; }
    public TimeSpan? Timeout { get; init; }
    public DatasourceDefinition? Datasource { get; init; }
    /// <summary>
    /// For a query without a <see cref="Datasource"/> (a page's or a module's): the <c>host</c> or <c>host:port</c> entries it
    /// and its redirects may reach, the app's <see cref="AppDefinition.AllowedHosts"/>. Empty: it may reach nothing.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
}

/// <summary><c>json</c> or <c>text</c> with <see cref="Text"/>; <c>form</c> with <see cref="Form"/>.</summary>
public sealed record HttpQueryBody(string Kind, string? Text = null, IReadOnlyList<KeyValuePair<string, string>>? Form = null);
