using System.Text.Json;

namespace LowCodeTokens.Tests.Tokens;

/// <summary>What <see cref="FakeTokenEndpoint"/> answers: a status, a body with its content type, extra response headers.</summary>
public sealed record TokenEndpointAnswer(int Status, string Body, string ContentType, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>A JSON answer; <paramref name="body"/> is serialized as is (an anonymous object, a <c>JsonObject</c>...).</summary>
    public static TokenEndpointAnswer Json(int status, object body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, JsonSerializer.Serialize(body), "application/json; charset=utf-8", headers);

    public static TokenEndpointAnswer Text(int status, string body) => new(status, body, "text/plain; charset=utf-8");

    /// <summary>The OAuth2 error answer (RFC 6749 §5.2).</summary>
    public static TokenEndpointAnswer Error(int status, string error, string? description = null, IReadOnlyDictionary<string, string>? headers = null) =>
        Json(status, description is null ? (object)new { error } : new { error, error_description = description }, headers);
}
