using System.Text.Json;
using System.Text.Json.Serialization;

namespace LowCodeTokens.Engine.Definitions;

public sealed record AppDefinition
{
    public required string Name { get; init; }
    /// <summary>The JSON Schema an editor validates the file with (<c>schemas/app.json</c>); ignored otherwise.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }
    public List<ModuleInstanceDefinition> Modules { get; init; } = new();
    public List<DatasourceDefinition> Datasources { get; init; } = new();
    /// <summary>
    /// <c>host</c> or <c>host:port</c> entries that queries without a datasource (the pages' and the modules') may reach, and
    /// their redirects. Empty: such queries reach nothing. A bare <c>host</c> means its ports 80 and 443.
    /// </summary>
    public List<string> AllowedHosts { get; init; } = new();
    public List<PageDefinition> Pages { get; init; } = new();
    /// <summary>End-user sign-in for the app's viewer (OpenID Connect); absent: the viewer opens with a key.</summary>
    public SignInDefinition? SignIn { get; init; }
}

/// <summary>A module used by an app: <c>Auth_Module</c> = <c>Auth@1</c> with input values.</summary>
public sealed record ModuleInstanceDefinition
{
    public required string Name { get; init; }
    /// <summary><c>Name@major</c>, <c>Name@major.minor</c> or an exact <c>Name@1.2.3</c>.</summary>
    public required string Module { get; init; }
    public Dictionary<string, JsonElement> Inputs { get; init; } = new();
}

public sealed record DatasourceDefinition
{
    public required string Name { get; init; }
    public string BaseUrl { get; init; } = "";
    /// <summary><c>host:port</c> entries a query of this datasource may reach. Empty: the base URL's host only.</summary>
    public List<string> AllowedHosts { get; init; } = new();
    /// <summary>Headers sent with every query; values may hold bindings.</summary>
    public Dictionary<string, string> Headers { get; init; } = new();
}

public sealed record PageDefinition
{
    public required string Name { get; init; }
    public List<QueryDefinition> Queries { get; init; } = new();
    public List<JsObjectDefinition> JsObjects { get; init; } = new();
    public List<WidgetDefinition> Widgets { get; init; } = new();
}

public sealed record JsObjectDefinition
{
    public required string Name { get; init; }
    public string Code { get; init; } = "";
    /// <summary>In a definitions folder, a <c>.js</c> file beside the app's JSON that holds <see cref="Code"/> (the folder loader reads it in).</summary>
    public string? CodeFile { get; init; }
    public List<string> RunOnPageLoad { get; init; } = new();
}

/// <summary>A widget: <c>table</c> (<c>tableData</c>), <c>text</c> (<c>text</c>), <c>button</c> (<c>label</c>, <c>onClick</c>). Other properties are kept as given.</summary>
public sealed record WidgetDefinition
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Properties { get; init; } = new();
}
