using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LowCodeTokens.Engine.Definitions.Folders;

/// <summary>
/// <c>${NAME}</c> and <c>${NAME:-default}</c> in a folder's JSON string values, replaced from configuration — never inside
/// a <c>{{ }}</c> binding or a JS object's code, where <c>${…}</c> is a JavaScript template literal's.
/// </summary>
internal static partial class FolderVariables
{
    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}")]
    private static partial Regex Reference();

    public static void Substitute(JsonNode? node, string path, IReadOnlyDictionary<string, string> values, Action<string, int, string> problem)
    {
        // Each child with its path and a way to put a replaced string in its place; a JS object's code is left out.
        var children = node switch
        {
            JsonObject obj => obj.Where(p => !(p.Key == "code" && IsJsObject(path)))
                .Select(p => (Path: path == "$" ? p.Key : $"{path}.{p.Key}", Child: p.Value, Set: (Action<string>)(text => obj[p.Key] = text))).ToList(),
            JsonArray array => array.Select((child, i) => (Path: $"{path}[{i}]", Child: child, Set: (Action<string>)(text => array[i] = text))).ToList(),
            _ => [],
        };
        foreach (var (childPath, child, set) in children)
        {
            if (child is JsonValue value && value.TryGetValue<string>(out var text))
            {
                var replaced = Replace(text, childPath, values, problem);
                if (!ReferenceEquals(replaced, text)) set(replaced);
            }
            else Substitute(child, childPath, values, problem);
        }
    }

    // pages[0].jsObjects[1]
    private static bool IsJsObject(string path) => Regex.IsMatch(path, @"\.jsObjects\[\d+\]$");

    private static string Replace(string text, string path, IReadOnlyDictionary<string, string> values, Action<string, int, string> problem)
    {
        if (!text.Contains("${", StringComparison.Ordinal)) return text;
        var result = new StringBuilder();
        int position = 0;
        while (position < text.Length)
        {
            // The literal part runs to the next binding; the binding is copied as written.
            var binding = text.IndexOf("{{", position, StringComparison.Ordinal);
            var literalEnd = binding < 0 ? text.Length : binding;
            var literal = text[position..literalEnd];
            var offset = position;
            result.Append(Reference().Replace(literal, m =>
            {
                if (values.TryGetValue(m.Groups[1].Value, out var value)) return value;
                if (m.Groups[2].Success) return m.Groups[3].Value;
                problem(path, offset + m.Index, $"the variable '{m.Groups[1].Value}' is not set (configuration LowCodeTokens:Definitions:Variables:{m.Groups[1].Value}, or write ${{{m.Groups[1].Value}:-default}})");
                return m.Value;
            }));
            if (binding < 0) break;
            var close = text.IndexOf("}}", binding + 2, StringComparison.Ordinal);
            var bindingEnd = close < 0 ? text.Length : close + 2;
            result.Append(text, binding, bindingEnd - binding);
            position = bindingEnd;
        }
        var replaced = result.ToString();
        return replaced == text ? text : replaced;
    }
}
