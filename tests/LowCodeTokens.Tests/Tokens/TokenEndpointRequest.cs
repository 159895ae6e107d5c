namespace LowCodeTokens.Tests.Tokens;

/// <summary>A token request as <see cref="FakeTokenEndpoint"/> received it: the decoded form, the headers (names case-insensitive), when.</summary>
public sealed record TokenEndpointRequest(
    string QueryName,
    string Method,
    string Url,
    IReadOnlyDictionary<string, string> Form,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset At)
{
    /// <summary>A form field, or null when it was not sent.</summary>
    public string? Field(string name) => Form.GetValueOrDefault(name);

    public string? Header(string name) => Headers.GetValueOrDefault(name);
}
