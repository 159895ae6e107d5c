namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>A request as <see cref="TestApiServer"/> received it.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    /// <summary>A header's value (multi values joined with ","), or <c>null</c>.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
