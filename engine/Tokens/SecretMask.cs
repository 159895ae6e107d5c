using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LowCodeTokens.Engine.Tokens;

/// <summary>Masks token-like values for admin views: JWT-shaped strings, and strings under keys named like token, secret, password.</summary>
public static partial class SecretMask
{
    [GeneratedRegex("token|secret|password|authorization|api[-_]?key", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    public static bool IsSecretKey(string key) => SecretKey().IsMatch(key);

    public static string Mask(string value) => value.Length <= 8 ? "…(masked)" : value[..4] + "…(masked)";

    public static string MaskJwts(string text) => Jwt().Replace(text, m => Mask(m.Value));

    /// <summary>A copy of <paramref name="value"/> with secrets masked; <paramref name="key"/> is the name it is stored under.</summary>
    public static JsonNode? MaskValue(string key, JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => IsSecretKey(key) ? Mask(s) : MaskJwts(s),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, MaskValue(p.Key, p.Value)))),
        JsonArray a => new JsonArray(a.Select(e => MaskValue(key, e)).ToArray()),
        _ => value?.DeepClone(),
    };
}
