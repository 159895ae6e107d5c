using System.Text.Json;
using System.Text.Json.Serialization;

namespace LowCodeTokens.Engine.Definitions;

/// <summary>Reads definition JSON; a malformed document or a field of the wrong type becomes a problem with its path, line and column.</summary>
public static class DefinitionJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
    };

    public static T? Read<T>(string json, string file, out DefinitionProblem? problem) where T : class
    {
        problem = null;
        try
        {
            var value = JsonSerializer.Deserialize<T>(json, Options);
            if (value is null) problem = new DefinitionProblem(file, "$", "The document is empty (null).", 1, 1);
            return value;
        }
        catch (JsonException e)
        {
            var message = e.Message;
            // System.Text.Json appends its own "Path: ... | LineNumber: ..." trailer; the problem carries those as fields.
            var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
            problem = new DefinitionProblem(file, ToFieldPath(e.Path), message, (int?)(e.LineNumber + 1), (int?)(e.BytePositionInLine + 1));
            return null;
        }
    }

    /// <summary><c>$.pages[0].queries[1].url</c> → <c>pages[0].queries[1].url</c>.</summary>
    public static string ToFieldPath(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "$" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
}
