using System.Text.Json;

namespace LowCodeTokens.Engine.Bindings;

/// <summary>
/// A JSON body given as an object or array, compiled once: string values are templates (a single binding
/// yields the raw value, other strings render as text), keys and other values are literal.
/// </summary>
internal sealed class JsonTemplateNode
{
    private JsonElement _literal;
    private TemplateSlot? _template;
    private List<KeyValuePair<string, JsonTemplateNode>>? _properties;
    private List<JsonTemplateNode>? _items;

    public TemplateSlot? Template => _template;
    public IReadOnlyList<KeyValuePair<string, JsonTemplateNode>>? Properties => _properties;
    public IReadOnlyList<JsonTemplateNode>? Items => _items;

    public static JsonTemplateNode Compile(JsonElement element, string path, QueryPlanBuilder builder)
    {
        var node = new JsonTemplateNode();
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                node._template = builder.Add(path, element.GetString()!);
                break;
            case JsonValueKind.Object:
                node._properties = new();
                foreach (var property in element.EnumerateObject())
                    node._properties.Add(new(property.Name, Compile(property.Value, $"{path}.{property.Name}", builder)));
                break;
            case JsonValueKind.Array:
                node._items = new();
                int index = 0;
                foreach (var item in element.EnumerateArray())
                    node._items.Add(Compile(item, $"{path}[{index++}]", builder));
                break;
            default:
                node._literal = element.Clone();
                break;
        }
        return node;
    }

    /// <summary>True when this node is one binding that evaluated to undefined (JSON.stringify drops such properties).</summary>
    public bool IsUndefined(ReadOnlySpan<BindingValue> values) =>
        _template is { } slot && slot.Template.IsSingleBinding && values[slot.Start].IsUndefined;

    public void Write(Utf8JsonWriter writer, ReadOnlySpan<BindingValue> values)
    {
        if (_template is { } slot)
        {
            if (!slot.Template.IsSingleBinding)
                writer.WriteStringValue(slot.RenderText(values));
            else if (values[slot.Start].Json is { } json)
                writer.WriteRawValue(json);
            else
                writer.WriteNullValue(); // undefined in an array, as JSON.stringify does
        }
        else if (_properties is not null)
        {
            writer.WriteStartObject();
            foreach (var (name, child) in _properties)
            {
                if (child.IsUndefined(values)) continue;
                writer.WritePropertyName(name);
                child.Write(writer, values);
            }
            writer.WriteEndObject();
        }
        else if (_items is not null)
        {
            writer.WriteStartArray();
            foreach (var child in _items) child.Write(writer, values);
            writer.WriteEndArray();
        }
        else
        {
            _literal.WriteTo(writer);
        }
    }

    public string ToJson(ReadOnlySpan<BindingValue> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = BindingValueFormatter.Encoder }))
            Write(writer, values);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Text form, as for a form field: a template renders as text, anything else as its JSON.</summary>
    public string ToText(ReadOnlySpan<BindingValue> values) =>
        _template is { } slot ? slot.RenderText(values) : ToJson(values);
}
