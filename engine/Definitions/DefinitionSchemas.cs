using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace LowCodeTokens.Engine.Definitions;

/// <summary>
/// JSON Schemas of <c>module.json</c> and <c>app.json</c>, exported from the definition types with the options they are
/// read with (<see cref="DefinitionJson.Options"/>), so field names, types, required fields and unknown-field refusal
/// cannot drift from the reader. What the exporter cannot see — the validators' name patterns, enumerations and ranges —
/// is added in <see cref="Refine"/>, from the same <see cref="Names"/> rules.
/// </summary>
public static class DefinitionSchemas
{
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    private static readonly Lazy<string> ModuleText = new(() => Export(typeof(ModuleDefinition), "module.json",
        "A module version of LowCodeTokens: module.json beside its main file (\"main\"), or as published over HTTP with \"code\"."));
    private static readonly Lazy<string> AppText = new(() => Export(typeof(AppDefinition), "app.json",
        "An app definition of LowCodeTokens: module instances, datasources and pages with queries, JS objects and widgets."));

    /// <summary>The schema of module.json, as indented JSON text ending with a newline.</summary>
    public static string Module => ModuleText.Value;

    /// <summary>The schema of app.json, as indented JSON text ending with a newline.</summary>
    public static string App => AppText.Value;

    private static string Export(Type type, string title, string description)
    {
        var exporterOptions = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Refine,
        };
        // The exporter needs the options' resolver in place, as the first read would put it (the reflection-based default).
        DefinitionJson.Options.MakeReadOnly(populateMissingResolver: true);
        var schema = DefinitionJson.Options.GetJsonSchemaAsNode(type, exporterOptions).AsObject();
        var root = new JsonObject { ["$schema"] = Draft, ["title"] = title, ["description"] = description };
        foreach (var (key, value) in schema.ToList())
        {
            schema.Remove(key);
            root[key] = value;
        }
        root["$defs"] = new JsonObject
        {
            [ReservedName] = new JsonObject
            {
                ["description"] = "Globals every script context has; an entity may not take these names.",
                ["enum"] = new JsonArray(Names.Reserved.Order(StringComparer.Ordinal).Select(n => (JsonNode)n).ToArray()),
            },
        };
        return root.ToJsonString(Written) + "\n";
    }

    private const string ReservedName = "reservedName";

    // Indented, and without \u0022-style escapes: people read these files.
    private static readonly JsonSerializerOptions Written = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Widget properties the runtime knows; any other is kept as given (the record's extension data).
    private static readonly (string Name, string Description)[] WidgetProperties =
    [
        ("tableData", "table: the rows, e.g. {{getusers_API.data.results}}"),
        ("text", "text: the text shown; may hold {{ }} bindings"),
        ("label", "button: its label"),
        ("onClick", "button: what a click runs, e.g. {{JSObject1.onPageLoad()}}"),
    ];

    private static JsonNode Refine(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject node) return schema;
        if (context.PropertyInfo is null && context.TypeInfo.Type == typeof(WidgetDefinition) && node["properties"] is JsonObject widget)
        {
            foreach (var (name, description) in WidgetProperties)
                widget[name] = new JsonObject { ["description"] = description };
            node["additionalProperties"] = true;
            return node;
        }
        if (context.PropertyInfo is null && node["required"] is JsonArray required)
        {
            // Fields whose C# default the validators refuse, so a file must give them.
            if (context.TypeInfo.Type == typeof(DatasourceDefinition)) required.Add("baseUrl");
            if (context.TypeInfo.Type == typeof(QueryDefinition)) required.Add("url");
            // In a definitions folder a JS object's code may live in a side file instead.
            if (context.TypeInfo.Type == typeof(JsObjectDefinition))
                node["anyOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("code") }, new JsonObject { ["required"] = new JsonArray("codeFile") });
            return node;
        }
        if (context.PropertyInfo is not { } property) return schema;
        var owner = property.DeclaringType;
        switch (property.Name)
        {
            case "name" when owner == typeof(ModuleDefinition) || owner == typeof(AppDefinition) || owner == typeof(PageDefinition):
                node["pattern"] = Names.UrlName().ToString();
                break;
            case "name" when owner == typeof(DatasourceDefinition):
                node["pattern"] = Names.Identifier().ToString();
                break;
            case "name" when owner == typeof(QueryDefinition) || owner == typeof(ModuleInstanceDefinition)
                || owner == typeof(JsObjectDefinition) || owner == typeof(WidgetDefinition):
                node["pattern"] = Names.Identifier().ToString();
                node["not"] = new JsonObject { ["$ref"] = $"#/$defs/{ReservedName}" };
                break;
            case "version" when owner == typeof(ModuleDefinition):
                node["pattern"] = Names.SemVer().ToString();
                break;
            case "module" when owner == typeof(ModuleInstanceDefinition):
                node["pattern"] = Names.ModuleReference().ToString().Replace("(?<name>", "(", StringComparison.Ordinal).Replace("(?<spec>", "(", StringComparison.Ordinal);
                break;
            case "type" when owner == typeof(WidgetDefinition):
                node["enum"] = new JsonArray(AppDefinitionValidator.WidgetTypes.Select(t => (JsonNode)t).ToArray());
                break;
            case "bodyType" when owner == typeof(QueryDefinition):
                node["enum"] = new JsonArray(QueryDefinitionValidator.BodyTypes.Select(t => (JsonNode)t).Append(null).ToArray());
                break;
            case "method" when owner == typeof(QueryDefinition):
                // The validator takes any letter case (get, Get, GET); ECMA-262 patterns have no case-insensitive flag.
                node["pattern"] = "^(" + string.Join('|', QueryDefinitionValidator.Methods.Select(m => string.Concat(m.Select(c => $"[{c}{char.ToLowerInvariant(c)}]")))) + ")$";
                break;
            case "url" when owner == typeof(QueryDefinition):
            case "code":
                node["pattern"] = "\\S"; // not empty or blank, as FluentValidation's NotEmpty
                break;
            case "baseUrl" when owner == typeof(DatasourceDefinition):
                // Or a folder variable that gives one (${API_URL}), which an editor sees unreplaced.
                node["pattern"] = "^([Hh][Tt][Tt][Pp][Ss]?://[^/?#]|\\$\\{)";
                break;
            case "onUnauthorized" when owner == typeof(QueryDefinition):
                var identifier = Names.Identifier().ToString().Trim('^', '$');
                node["pattern"] = $"^{identifier}(\\.{identifier})*$";
                break;
            case "inputs" when owner == typeof(ModuleDefinition):
                node["propertyNames"] = new JsonObject { ["pattern"] = Names.Identifier().ToString() };
                break;
            case "timeoutMs" when owner == typeof(QueryDefinition):
                node["minimum"] = QueryDefinitionValidator.MinTimeoutMs;
                node["maximum"] = QueryDefinitionValidator.MaxTimeoutMs;
                break;
        }
        return node;
    }
}
