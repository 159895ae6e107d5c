using System.Text;
using System.Text.Json;

namespace LowCodeTokens.Tests.Infrastructure;

/// <summary>Builds unsigned JWTs for tests (base64url segments, as real servers issue them).</summary>
public static class TestJwt
{
    public static string Create(object payload, object? header = null)
    {
        header ??= new { alg = "none", typ = "JWT" };
        return $"{Segment(header)}.{Segment(payload)}.sig";
    }

    public static string Segment(object value) => Base64Url(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
