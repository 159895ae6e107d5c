using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// Secrets in an app definition (SPEC §5: never in an API response): the values of module inputs their module marks
/// <c>secret</c>, datasource headers that carry a credential as a literal, and <c>signIn.clientSecret</c>. An export shows <see cref="Placeholder"/>
/// instead; an import that sends the placeholder back keeps the secret stored under the same place (module instance and
/// input, or datasource and header), so an exported definition can be edited and re-imported without retyping secrets.
/// </summary>
public static class StoredSecrets
{
    public const string Placeholder = "[stored secret]";

    /// <summary>Header names that carry credentials (case-insensitive substrings).</summary>
    private static readonly string[] CredentialHeaderParts = ["auth", "key", "token", "secret", "password", "cookie", "session", "signature"];

    /// <summary>A datasource header whose value is a credential: named like one, and a literal (a binding is an expression, not a secret).</summary>
    public static bool IsSecretHeader(string name, string value) =>
        value.Length > 0 && !value.Contains("{{", StringComparison.Ordinal)
        && CredentialHeaderParts.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>The stored definition with every secret replaced by <see cref="Placeholder"/>; comments are not kept when one is.</summary>
    internal static string Mask(string json, CompiledApp app)
    {
        var root = Parse(json);
        if (root is null) return json;
        var masked = false;
        foreach (var (_, instance, inputs) in Entries(root, "modules", "inputs"))
        {
            if (!app.Modules.TryGetValue(instance, out var module)) continue;
            foreach (var name in module.SecretInputs)
                if (inputs[name] is { } value && !(value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0))
                {
                    inputs[name] = Placeholder;
                    masked = true;
                }
        }
        foreach (var (_, _, headers) in Entries(root, "datasources", "headers"))
            foreach (var (name, value) in headers.ToList())
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && IsSecretHeader(name, v.GetValue<string>()))
                {
                    headers[name] = Placeholder;
                    masked = true;
                }
        if (SignIn(root) is { } signIn && Property(signIn, "clientSecret") is JsonValue secret
            && secret.GetValueKind() == JsonValueKind.String && secret.GetValue<string>().Length > 0)
        {
            signIn[SecretKey(signIn)] = Placeholder;
            masked = true;
        }
        return masked ? root.ToJsonString(Indented) : json;
    }

    /// <summary>
    /// <paramref name="json"/> with each <see cref="Placeholder"/> in a module input or datasource header replaced by the
    /// value stored at the same place in <paramref name="storedJson"/>; a problem naming the field when none is stored there.
    /// </summary>
    internal static (string Json, DefinitionProblem? Problem) Restore(string json, string? storedJson)
    {
        if (!json.Contains(Placeholder, StringComparison.Ordinal)) return (json, null);
        var root = Parse(json);
        if (root is null) return (json, null); // not JSON: the compiler reports where
        var stored = storedJson is null ? null : Parse(storedJson);
        foreach (var (list, member, owner) in Places)
        {
            var keptValues = stored is null ? [] : Entries(stored, list, member).GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.First().Values);
            foreach (var (index, name, values) in Entries(root, list, member))
            {
                foreach (var (key, value) in values.ToList())
                {
                    if (!IsPlaceholder(value)) continue;
                    if (keptValues.GetValueOrDefault(name)?[key] is not { } kept || IsPlaceholder(kept))
                        return (json, Missing($"{list}[{index}].{member}.{key}", $"{owner} '{name}' {member[..^1]} '{key}'"));
                    values[key] = kept.DeepClone();
                }
            }
        }
        if (SignIn(root) is { } signIn && IsPlaceholder(Property(signIn, "clientSecret")))
        {
            if ((stored is null ? null : SignIn(stored)) is not { } storedSignIn || Property(storedSignIn, "clientSecret") is not { } kept || IsPlaceholder(kept))
                return (json, Missing("signIn.clientSecret", "the sign-in client secret"));
            signIn[SecretKey(signIn)] = kept.DeepClone();
        }
        return (root.ToJsonString(), null);
    }

    private static JsonObject? SignIn(JsonObject root) => Property(root, "signIn") as JsonObject;

    private static string SecretKey(JsonObject signIn) =>
        signIn.FirstOrDefault(p => string.Equals(p.Key, "clientSecret", StringComparison.OrdinalIgnoreCase)).Key ?? "clientSecret";

    private static DefinitionProblem Missing(string path, string what) =>
        new("app.json", path, $"\"{Placeholder}\" stands for the secret stored for {what}, but none is stored there; send the secret itself.");

    private static bool IsPlaceholder(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == Placeholder;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: DocumentOptions) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Where a definition holds secrets: the objects of name/value pairs that <see cref="Mask"/> may mask.</summary>
    private static readonly (string List, string Member, string Owner)[] Places =
        [("modules", "inputs", "module instance"), ("datasources", "headers", "datasource")];

    private static IEnumerable<(int Index, string Name, JsonObject Values)> Entries(JsonObject root, string list, string member)
    {
        if (Property(root, list) is not JsonArray items) yield break;
        for (int i = 0; i < items.Count; i++)
            if (items[i] is JsonObject o && Property(o, "name") is JsonValue name && name.GetValueKind() == JsonValueKind.String && Property(o, member) is JsonObject values)
                yield return (i, name.GetValue<string>(), values);
    }

    private static JsonNode? Property(JsonObject o, string name) =>
        o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
