using System.Text.Encodings.Web;
using System.Text.Json;

namespace LowCodeTokens.Engine.Bindings;

/// <summary>Turns a binding's value into text or a JSON literal, the way JS string concatenation and JSON.stringify would.</summary>
internal static class BindingValueFormatter
{
    /// <summary>Request bodies are not HTML: keep non-ASCII and &lt;&gt;&amp;' readable; the output is still valid JSON.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Text form: strings as is, numbers/bools/null as their JSON text, objects/arrays as JSON, undefined as "".</summary>
    public static string ToText(BindingValue value)
    {
        if (value.Json is not { } json) return "";
        var trimmed = json.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] == '"')
            return JsonSerializer.Deserialize<string>(json) ?? "";
        return json.Trim();
    }

    /// <summary>A JSON literal of the value's type; undefined becomes <c>null</c>.</summary>
    public static string ToJsonLiteral(BindingValue value) => value.Json is { } json ? json.Trim() : "null";

    /// <summary>Escapes <paramref name="text"/> for use inside a JSON string literal, without the quotes.</summary>
    public static string EscapeForJsonString(string text) =>
        text.Length == 0 ? "" : JsonEncodedText.Encode(text, Encoder).Value;
}
