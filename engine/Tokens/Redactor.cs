using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LowCodeTokens.Engine.Tokens;

/// <summary>
/// Masks secrets in what leaves the engine (SPEC §5): JWT-shaped strings anywhere, values of keys named like
/// <c>*token*</c>, <c>*secret*</c>, <c>*password*</c>, <c>authorization</c>, and exact occurrences of known secrets
/// (secret module inputs, token-like store values). A mask keeps at most the first 4 characters.
/// </summary>
public sealed partial class Redactor
{
    public const string Suffix = "…(masked)";

    /// <summary>Knows no secret: masks what looks like one (JWTs, values of token-, secret- and password-named keys).</summary>
    public static readonly Redactor Patterns = new([]);
    private readonly string[] _secrets;

    /// <param name="secrets">Exact strings to mask; shorter than 4 characters are ignored (they would mask ordinary text).</param>
    public Redactor(IEnumerable<string> secrets) =>
        _secrets = secrets.Where(s => s.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();

    /// <summary>At most the first 4 characters, and fewer for short values, so that a mask never shows most of a secret.</summary>
    public static string Mask(string value) => value.EndsWith(Suffix, StringComparison.Ordinal) ? value : value[..Math.Min(4, value.Length / 4)] + Suffix;

    public static bool IsSensitiveKey(string key)
    {
        var k = key.ToLowerInvariant();
        // token_type ("Bearer") and URLs (tokenUrl) name a token but hold none.
        if (k is "token_type" or "tokentype" || k.EndsWith("url", StringComparison.Ordinal)) return false;
        return k.Contains("token") || k.Contains("secret") || k.Contains("password") || k.Contains("authorization");
    }

    public string Text(string text)
    {
        if (text.Length == 0) return text;
        foreach (var s in _secrets)
            if (text.Contains(s, StringComparison.Ordinal)) text = text.Replace(s, Mask(s), StringComparison.Ordinal);
        text = Jwt().Replace(text, m => Mask(m.Value));
        // key=value / "key": "value" pairs in free text (a logged form body or JSON excerpt).
        return KeyValue().Replace(text, m => IsSensitiveKey(m.Groups["key"].Value) && !m.Groups["value"].Value.EndsWith(Suffix, StringComparison.Ordinal)
            ? m.Groups["head"].Value + Mask(m.Groups["value"].Value)
            : m.Value);
    }

    public JsonNode? Json(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key,
            IsSensitiveKey(p.Key) && p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? JsonValue.Create(Mask(v.GetValue<string>())) : Json(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Json).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(Text(v.GetValue<string>())),
        _ => node.DeepClone(),
    };

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    // A quoted JSON key ("access_token": "…") or a form/query pair (refresh_token=…); prose such as "token: expired" is left alone.
    [GeneratedRegex(@"(?<head>""(?<key>[A-Za-z_][A-Za-z0-9_.-]*)""\s*:\s*""?|\b(?<key>[A-Za-z_][A-Za-z0-9_-]*)=)(?<value>[^\s""&,}]{4,})")]
    private static partial Regex KeyValue();
}
