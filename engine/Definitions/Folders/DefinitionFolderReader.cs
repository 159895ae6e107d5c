using System.Text.Json;
using System.Text.Json.Nodes;

namespace LowCodeTokens.Engine.Definitions.Folders;

/// <summary>
/// Reads a definitions folder: <c>modules/&lt;name&gt;/module.json</c> with its main file, and <c>apps/&lt;app&gt;.json</c> or
/// <c>apps/&lt;app&gt;/app.json</c> with JS object code inline or in side files (<c>"codeFile"</c>). Variables are replaced
/// here; the definitions are validated by <see cref="Runtime.DefinitionFolderLoader"/>.
/// </summary>
internal static class DefinitionFolderReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static FolderContent Read(string root, IReadOnlyDictionary<string, string> variables)
    {
        root = System.IO.Path.GetFullPath(root);
        var problems = new List<FolderProblem>();
        var modules = new List<FolderModule>();
        var apps = new List<FolderApp>();
        if (!Directory.Exists(root))
        {
            problems.Add(new(root, 1, 1, "the definitions folder does not exist"));
            return new(modules, apps, problems);
        }

        var modulesDir = System.IO.Path.Combine(root, "modules");
        if (Directory.Exists(modulesDir))
            foreach (var dir in Directory.GetDirectories(modulesDir).Order(StringComparer.Ordinal))
            {
                var file = System.IO.Path.Combine(dir, "module.json");
                if (!File.Exists(file))
                {
                    problems.Add(new(Relative(root, dir) + "/", 1, 1, "a module folder needs a module.json"));
                    continue;
                }
                if (ReadModule(root, file, variables, problems) is { } module) modules.Add(module);
            }

        var appsDir = System.IO.Path.Combine(root, "apps");
        if (Directory.Exists(appsDir))
        {
            var files = Directory.GetFiles(appsDir, "*.json")
                .Concat(Directory.GetDirectories(appsDir).Select(d => System.IO.Path.Combine(d, "app.json")).Where(File.Exists))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
                if (ReadApp(root, file, variables, problems) is { } app) apps.Add(app);
        }
        return new(modules, apps, problems);
    }

    private static FolderModule? ReadModule(string root, string file, IReadOnlyDictionary<string, string> variables, List<FolderProblem> problems)
    {
        var (node, source) = ReadJson(root, file, variables, problems);
        if (node is null || source is null) return null;
        var at = (string field) => source.Locations.Find(field);
        if (node.ContainsKey("code"))
        {
            var l = at("code");
            problems.Add(new(source.Path, l.Line, l.Column, "code: in a folder the code lives in the main file (\"main\"), not in module.json"));
            return null;
        }
        var main = node["main"] is JsonValue m && m.TryGetValue<string>(out var named) ? named : "main.js";
        var dir = System.IO.Path.GetDirectoryName(file)!;
        var mainFile = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, main));
        if (!IsInside(dir, mainFile) || !File.Exists(mainFile))
        {
            var l = at("main");
            problems.Add(new(source.Path, l.Line, l.Column, $"main: '{main}' is not a file of the module's folder"));
            return null;
        }
        var code = File.ReadAllText(mainFile);
        node["code"] = code;
        return new FolderModule(StringOf(node, "name"), StringOf(node, "version"), node.ToJsonString(), source, Relative(root, mainFile));
    }

    private static FolderApp? ReadApp(string root, string file, IReadOnlyDictionary<string, string> variables, List<FolderProblem> problems)
    {
        var (node, source) = ReadJson(root, file, variables, problems);
        if (node is null || source is null) return null;
        var sideFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        var dir = System.IO.Path.GetDirectoryName(file)!;
        var failed = false;
        if (node["pages"] is JsonArray pages)
            for (int p = 0; p < pages.Count; p++)
                if (pages[p]?["jsObjects"] is JsonArray objects)
                    for (int o = 0; o < objects.Count; o++)
                    {
                        if (objects[o] is not JsonObject jsObject || jsObject["codeFile"] is not JsonValue v || !v.TryGetValue<string>(out var codeFile)) continue;
                        var field = $"pages[{p}].jsObjects[{o}]";
                        var sideFile = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, codeFile));
                        string? message = null;
                        if (jsObject.ContainsKey("code")) message = "give either \"code\" or \"codeFile\", not both";
                        else if (!IsInside(root, sideFile) || !File.Exists(sideFile)) message = $"'{codeFile}' is not a file of the definitions folder";
                        if (message is not null)
                        {
                            var l = source.Locations.Find($"{field}.codeFile");
                            problems.Add(new(source.Path, l.Line, l.Column, $"{field}.codeFile: {message}"));
                            failed = true;
                            continue;
                        }
                        jsObject["code"] = File.ReadAllText(sideFile);
                        sideFiles[$"{field}.code"] = Relative(root, sideFile);
                    }
        return failed ? null : new FolderApp(StringOf(node, "name"), node.ToJsonString(), source, sideFiles);
    }

    private static (JsonObject?, FolderFile?) ReadJson(string root, string file, IReadOnlyDictionary<string, string> variables, List<FolderProblem> problems)
    {
        var path = Relative(root, file);
        var text = File.ReadAllText(file);
        var locations = JsonLocations.Read(text, out var error, out var message);
        if (locations is null)
        {
            problems.Add(new(path, error!.Value.Line, error.Value.Column, message!));
            return (null, null);
        }
        if (JsonNode.Parse(text, documentOptions: DocumentOptions) is not JsonObject node)
        {
            var l = locations.Find("$");
            problems.Add(new(path, l.Line, l.Column, "the file must hold a JSON object"));
            return (null, null);
        }
        var before = problems.Count;
        FolderVariables.Substitute(node, "$", variables, (field, index, text) =>
        {
            var l = locations.FindInString(field, 1, index + 1);
            problems.Add(new(path, l.Line, l.Column, $"{field}: {text}"));
        });
        return problems.Count > before ? (null, null) : (node, new FolderFile(path, locations));
    }

    private static string StringOf(JsonObject node, string field) =>
        node[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static bool IsInside(string dir, string file) =>
        file.StartsWith(System.IO.Path.TrimEndingDirectorySeparator(dir) + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);

    public static string Relative(string root, string file) => System.IO.Path.GetRelativePath(root, file).Replace('\\', '/');
}
