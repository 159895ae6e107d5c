using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace LowCodeTokens.Engine.Definitions;

/// <summary>Reads definition JSON; a malformed document or a field of the wrong type becomes a problem with its path, line and column.</summary>
public static partial class DefinitionJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        // A misspelt field ("onUnauthorised") would otherwise be dropped without a word; the JSON Schemas say the same.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // "singleflight" is not "singleFlight": one spelling, as the JSON Schemas and editors know it.
        PropertyNameCaseInsensitive = false,
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
            if (UnknownField().Match(message) is { Success: true } unknown)
                message = $"'{unknown.Groups[1].Value}' is not a field here (a misspelt name?)";
            else if (WrongType().Match(message) is { Success: true } wrong)
                message = $"expected {Describe(wrong.Groups[1].Value)}";
            problem = new DefinitionProblem(file, ToFieldPath(e.Path), message, (int?)(e.LineNumber + 1), (int?)(e.BytePositionInLine + 1));
            return null;
        }
    }

    // System.Text.Json's words for a field no member takes; the rewrite leaves out the .NET type name.
    [GeneratedRegex("^The JSON property '(.*)' could not be mapped to any \\.NET member")]
    private static partial Regex UnknownField();

    [GeneratedRegex(@"^The JSON value could not be converted to (.+)\.$")]
    private static partial Regex WrongType();

    // The .NET type a field is read into, in the words of JSON.
    private static string Describe(string type) => type switch
    {
        _ when type.Contains("System.String", StringComparison.Ordinal) && !type.Contains('`') => "a string",
        _ when type.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("System.Int", StringComparison.Ordinal) || type.Contains("System.Double", StringComparison.Ordinal) => "a number",
        _ when type.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array",
        _ => "an object",
    };

    /// <summary><c>$.pages[0].queries[1].url</c> → <c>pages[0].queries[1].url</c>.</summary>
    public static string ToFieldPath(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "$" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
}
