using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace LowCodeTokens.Engine.Scripting.Jint;

using JsEngine = global::Jint.Engine;

/// <summary>
/// Values cross between entities and into .NET as JSON text only (ARCHITECTURE "Bridge"); text comes back in through
/// <see cref="ScriptEntity.FromJson"/>. Serialization follows
/// <c>JSON.stringify</c> (undefined and functions dropped, <c>toJSON</c> honoured) and stops at a size cap.
/// </summary>
internal static class JsonBridge
{
    // As JSON.stringify writes strings: only quotes, backslashes and control characters escaped.
    private static readonly System.Text.Json.JsonSerializerOptions StringOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>JSON text of <paramref name="value"/>, or null for undefined, functions and symbols.</summary>
    /// <exception cref="ValueTooLargeException">The text would exceed <paramref name="maxBytes"/>.</exception>
    public static string? ToJson(JsEngine engine, JsValue value, int maxBytes)
    {
        if (value.IsUndefined()) return null;
        // Strings and numbers are the common case (tokens, expiry times): no serializer or buffer for them.
        if (value.IsNull()) return "null";
        if (value.IsBoolean()) return value.AsBoolean() ? "true" : "false";
        if (value.IsNumber()) return double.IsFinite(value.AsNumber()) ? TypeConverter.ToString(value) : "null";
        if (value.IsString())
        {
            var s = value.AsString();
            if (s.Length > maxBytes) throw new ValueTooLargeException(maxBytes);
            return System.Text.Json.JsonSerializer.Serialize(s, StringOptions);
        }
        var writer = new CappedBufferWriter(maxBytes);
        if (!new JsonSerializer(engine).Serialize(value, writer)) return null;
        return writer.Written.Length == 0 ? null : Encoding.UTF8.GetString(writer.Written);
    }
}
