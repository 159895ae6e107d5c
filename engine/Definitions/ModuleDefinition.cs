using System.Text.Json;
using System.Text.Json.Serialization;

namespace LowCodeTokens.Engine.Definitions;

/// <summary>A published module version: <c>module.json</c> with the text of its main file in <see cref="Code"/>.</summary>
public sealed record ModuleDefinition
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    /// <summary>The JSON Schema an editor validates the file with (<c>schemas/module.json</c>); ignored otherwise.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }
    /// <summary>What the module does, for people reading the definition.</summary>
    public string? Description { get; init; }
    /// <summary>File name of the main JS object (as in a module folder); informational once published.</summary>
    public string? Main { get; init; }
    /// <summary>The main JS object's source: <c>export default { ... }</c>.</summary>
    public string? Code { get; init; }
    /// <summary>Declared inputs. A value is either the default (any JSON) or an object <c>{ "default": ..., "secret": true }</c>.</summary>
    public Dictionary<string, JsonElement> Inputs { get; init; } = new();
    /// <summary>Functions whose concurrent invocations with equal arguments share one execution.</summary>
    public List<string> SingleFlight { get; init; } = new();
    public List<QueryDefinition> Queries { get; init; } = new();
}
