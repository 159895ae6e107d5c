using System.Text.Json;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Queries;

namespace LowCodeTokens.Engine.Bindings;

/// <summary>How a query's body is rendered, decided once per definition from its <c>bodyType</c> and body shape.</summary>
internal sealed class QueryBodyPlan
{
    private readonly string _kind;
    private readonly TemplateSlot? _stringTemplate;
    private readonly bool[]? _insideString;
    private readonly JsonTemplateNode? _json;
    private readonly List<KeyValuePair<string, JsonTemplateNode>>? _form;

    private QueryBodyPlan(string kind, TemplateSlot? stringTemplate = null, bool[]? insideString = null,
        JsonTemplateNode? json = null, List<KeyValuePair<string, JsonTemplateNode>>? form = null)
    {
        _kind = kind;
        _stringTemplate = stringTemplate;
        _insideString = insideString;
        _json = json;
        _form = form;
    }

    /// <summary>Null when the query sends no body.</summary>
    public static QueryBodyPlan? Create(QueryDefinition query, QueryPlanBuilder builder)
    {
        if (query.Body is not { } body || body.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        string kind = string.IsNullOrEmpty(query.BodyType) ? "json" : query.BodyType.ToLowerInvariant();
        switch (kind)
        {
            case "none":
                return null;
            case "json" when body.ValueKind == JsonValueKind.String:
                var slot = builder.Add("body", body.GetString()!);
                return new QueryBodyPlan("json", slot, SmartJsonLayout.InsideStringFlags(slot.Template));
            case "json":
                return new QueryBodyPlan("json", json: JsonTemplateNode.Compile(body, "body", builder));
            case "text" when body.ValueKind == JsonValueKind.String:
                return new QueryBodyPlan("text", builder.Add("body", body.GetString()!));
            case "text":
                return new QueryBodyPlan("text", json: JsonTemplateNode.Compile(body, "body", builder));
            case "form" when body.ValueKind == JsonValueKind.String:
                // An already url-encoded string: sent as the form's text.
                return new QueryBodyPlan("form", builder.Add("body", body.GetString()!));
            case "form":
                return new QueryBodyPlan("form", form: CompileForm(query.Name, body, builder));
            default:
                throw new InvalidOperationException(
                    $"Query '{query.Name}': bodyType '{query.BodyType}' is not one of json, form, text, none.");
        }
    }

    public HttpQueryBody Render(ReadOnlySpan<BindingValue> values)
    {
        if (_form is not null)
        {
            var fields = new KeyValuePair<string, string>[_form.Count];
            for (int i = 0; i < fields.Length; i++)
                fields[i] = new(_form[i].Key, _form[i].Value.ToText(values));
            return new HttpQueryBody("form", Form: fields);
        }
        if (_stringTemplate is { } slot)
        {
            string text = _insideString is not null
                ? TemplateRenderer.RenderSmartJsonCore(slot.Template, _insideString, slot.Values(values))
                : slot.RenderText(values);
            return new HttpQueryBody(_kind, Text: text);
        }
        return new HttpQueryBody(_kind, Text: _json!.ToJson(values));
    }

    /// <summary>An object (<c>{ "grant_type": "...", ... }</c>) or Appsmith's array of <c>{ "key", "value" }</c> pairs.</summary>
    private static List<KeyValuePair<string, JsonTemplateNode>> CompileForm(string queryName, JsonElement body, QueryPlanBuilder builder)
    {
        var fields = new List<KeyValuePair<string, JsonTemplateNode>>();
        if (body.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in body.EnumerateObject())
                fields.Add(new(property.Name, JsonTemplateNode.Compile(property.Value, $"body.{property.Name}", builder)));
            return fields;
        }
        if (body.ValueKind == JsonValueKind.Array)
        {
            foreach (var pair in body.EnumerateArray())
            {
                if (pair.ValueKind != JsonValueKind.Object || !pair.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String)
                    throw new InvalidOperationException($"Query '{queryName}': a form body array holds objects with a string 'key' and a 'value'.");
                string name = key.GetString()!;
                var value = pair.TryGetProperty("value", out var v) ? v : default;
                fields.Add(new(name, value.ValueKind == JsonValueKind.Undefined
                    ? JsonTemplateNode.Compile(EmptyString, $"body.{name}", builder)
                    : JsonTemplateNode.Compile(value, $"body.{name}", builder)));
            }
            return fields;
        }
        throw new InvalidOperationException($"Query '{queryName}': a form body is an object, an array of key/value pairs, or a string.");
    }

    private static readonly JsonElement EmptyString = JsonDocument.Parse("\"\"").RootElement.Clone();
}
