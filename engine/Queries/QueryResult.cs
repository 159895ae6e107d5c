namespace LowCodeTokens.Engine.Queries;

/// <summary>
/// What a query run produced. <see cref="DataJson"/> is JSON text of <c>Q.data</c>: the parsed body for JSON
/// responses, the body as a JSON string otherwise, <c>null</c> when nothing was received.
/// </summary>
public sealed record QueryResult
{
    public int StatusCode { get; init; }
    public bool IsExecutionSuccess { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public string DataJson { get; init; } = "null";
    /// <summary>Set when the run failed: status code and a bounded excerpt of the body, or why no response came.</summary>
    public string? Error { get; init; }
    public TimeSpan Duration { get; init; }
}
