using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace LowCodeTokens.Host.Auth;

/// <summary>Generates keys and hashes them; only hashes of app keys are stored.</summary>
internal static class ApiKeys
{
    public const string HeaderName = "X-Api-Key";
    private const string Prefix = "lct_";

    /// <summary><c>lct_</c> + 32 random bytes base64url: the prefix makes a leaked key easy to spot by secret scanners.</summary>
    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case SHA-256 hex of the key's UTF-8 bytes. Keys are high-entropy, so a plain hash suffices (no salt or slow KDF).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(HashBytes(key));

    /// <summary>The key of the request's <see cref="HeaderName"/> header; null when it is missing, empty or sent more than once.</summary>
    public static string? Presented(HttpRequest request) =>
        request.Headers[HeaderName] is { Count: 1 } headers && !string.IsNullOrEmpty(headers[0]) ? headers[0] : null;

    public static byte[] HashBytes(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
