using System.Buffers;
using System.Text;
using System.Text.Json;
using Jint.Native;
using Jint.Native.Error;
using Jint.Runtime;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>
/// JSON text to script values with System.Text.Json's reader, as <c>JSON.parse</c> would build them (plain objects and
/// arrays, last duplicate key wins). Jint's own parser allocates two intern tables per document (12 KB, measured: 14% of a
/// page load's allocations for its two small documents); this allocates the values and a pooled buffer.
/// </summary>
internal static class JsonReading
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = ScriptLimits.MaxJsonDepth };

    /// <exception cref="JavaScriptException">A SyntaxError naming what is wrong, as <c>JSON.parse</c> would throw.</exception>
    public static JsValue Parse(ScriptEntity entity, string json)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, buffer);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), Options);
            if (!reader.Read()) throw SyntaxError(entity, "Unexpected end of JSON input");
            var value = Value(entity, ref reader);
            if (reader.Read()) throw SyntaxError(entity, $"Unexpected data after JSON at position {reader.TokenStartIndex}");
            return value;
        }
        catch (JsonException e)
        {
            throw SyntaxError(entity, e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JsValue Value(ScriptEntity entity, ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return new JsString(reader.GetString()!);
            case JsonTokenType.Number: return JsNumber.Create(reader.GetDouble());
            case JsonTokenType.True: return JsBoolean.True;
            case JsonTokenType.False: return JsBoolean.False;
            case JsonTokenType.Null: return JsValue.Null;
            case JsonTokenType.StartArray:
            {
                var items = new List<JsValue>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(Value(entity, ref reader));
                return new JsArray(entity.Engine, items.ToArray());
            }
            case JsonTokenType.StartObject:
            {
                var obj = entity.NewObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    // CreateDataProperty, as JSON.parse: "__proto__" becomes an own property, never the prototype.
                    obj.CreateDataProperty(name, Value(entity, ref reader));
                }
                return obj;
            }
            default:
                throw new JsonException($"Unexpected token {reader.TokenType} at position {reader.TokenStartIndex}");
        }
    }

    private static JavaScriptException SyntaxError(ScriptEntity entity, string message) =>
        new(entity.Engine.Global.Get("SyntaxError") as ErrorConstructor ?? entity.Engine.Intrinsics.Error, message);
}
