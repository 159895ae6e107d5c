using System.Text.Json.Nodes;

namespace LowCodeTokens.Engine.Tokens;

/// <summary>The admin view of store values (SPEC §5): the same masking as page-load results, keyed by store key.</summary>
public static class StoreMasking
{
    private static readonly Redactor NoKnownSecrets = new([]);

    public static JsonObject Mask(IReadOnlyDictionary<string, string> values)
    {
        var masked = new JsonObject();
        foreach (var (key, json) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var value = JsonNode.Parse(json);
            // The key names the value itself (authRefreshToken → "…"), as a JSON property name would.
            masked[key] = Redactor.IsSensitiveKey(key) && value is JsonValue v && v.TryGetValue<string>(out var s)
                ? Redactor.Mask(s)
                : NoKnownSecrets.Json(value);
        }
        return masked;
    }
}
