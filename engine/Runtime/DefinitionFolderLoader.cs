using System.Text.Json;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Definitions.Folders;
using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>What checking or applying a definitions folder found: every problem (nothing applied when there is one), and what changed.</summary>
public sealed record FolderResult(IReadOnlyList<FolderProblem> Problems, int Modules, int Apps, IReadOnlyList<string> Published, IReadOnlyList<string> Imported)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// Checks a definitions folder as a whole — files, fields, code, bindings, cycles, module references against the folder's
/// modules and the published ones, published versions left unchanged — and only then publishes its new module versions
/// and imports its changed apps. One problem anywhere and nothing is applied.
/// </summary>
public sealed class DefinitionFolderLoader
{
    private readonly IDefinitionRepository? _repository;
    private readonly IAppCatalog? _catalog;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Checks and applies against the host's definitions.</summary>
    public DefinitionFolderLoader(IDefinitionRepository repository, IAppCatalog catalog)
    {
        _repository = repository;
        _catalog = catalog;
    }

    private DefinitionFolderLoader() { }

    /// <summary>Checks a folder on its own, without a database: module references resolve against the folder's modules only.</summary>
    public static Task<FolderResult> CheckAsync(string folder, IReadOnlyDictionary<string, string> variables, CancellationToken ct = default) =>
        new DefinitionFolderLoader().ValidateAsync(folder, variables, ct);

    /// <summary>Checks the folder, then applies it when it has no problem.</summary>
    public async Task<FolderResult> LoadAsync(string folder, IReadOnlyDictionary<string, string> variables, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var (result, content, appModules) = await ValidateCoreAsync(folder, variables, ct);
            return result.Succeeded ? await ApplyAsync(content, result, appModules, ct) : result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks the folder against the host's definitions, applying nothing.</summary>
    public async Task<FolderResult> ValidateAsync(string folder, IReadOnlyDictionary<string, string> variables, CancellationToken ct = default) =>
        (await ValidateCoreAsync(folder, variables, ct)).Result;

    // AppModules: the names of the modules each valid app uses, as its compilation resolved them.
    private async Task<(FolderResult Result, FolderContent Content, Dictionary<string, HashSet<string>> AppModules)> ValidateCoreAsync(string folder, IReadOnlyDictionary<string, string> variables, CancellationToken ct)
    {
        var content = DefinitionFolderReader.Read(folder, variables);
        var problems = content.Problems.ToList();

        var valid = new Dictionary<(string, string), string>();
        var unchanged = new HashSet<(string, string)>();
        var seen = new HashSet<(string, string)>();
        // Module names, like app names, are unique ignoring case: against the published ones and within the folder.
        var publishedModules = _repository is null ? [] : await _repository.ListModulesAsync(ct);
        var folderModules = new List<string>();
        var moduleChecker = new AppCompiler(new FolderDefinitionRepository(valid, null));
        foreach (var module in content.Modules)
        {
            var key = (module.Name, module.Version);
            if (!seen.Add(key))
            {
                Add(problems, module.File, "version", $"{module.Name}@{module.Version} is defined twice in the folder");
                continue;
            }
            if (AppCatalog.CaseClash(module.Name, folderModules) is { } twin)
            {
                Add(problems, module.File, "name", $"a module named '{twin}' is defined in the folder too; module names are unique ignoring case");
                continue;
            }
            folderModules.Add(module.Name);
            if (AppCatalog.CaseClash(module.Name, publishedModules) is { } taken)
            {
                Add(problems, module.File, "name", $"a module named '{taken}' exists; module names are unique ignoring case");
                continue;
            }
            var checkedModule = await moduleChecker.CheckModuleAsync(module.Name, module.Version, module.Json, ct);
            if (!checkedModule.WasSuccessful(out var definition, out var moduleProblems))
            {
                foreach (var p in moduleProblems)
                    problems.Add(p.File == "module.json" || p.Line is null
                        ? At(module.File, p.Path, p.Message)
                        : new FolderProblem(module.MainPath, p.Line.Value, p.Column ?? 1, p.Message));
                continue;
            }
            if (_repository is not null && await _repository.GetModuleVersionAsync(module.Name, module.Version, ct) is { } publishedJson)
            {
                var published = JsonSerializer.Deserialize<ModuleDefinition>(publishedJson, DefinitionJson.Options)!;
                if (published.Code != definition.Code)
                {
                    Add(problems, module.File, "version", $"{module.MainPath} differs from the published {module.Name}@{module.Version}; published versions are immutable: bump \"version\"");
                    continue;
                }
                if (Comparable(published) != Comparable(definition))
                {
                    Add(problems, module.File, "version", $"module.json differs from the published {module.Name}@{module.Version}; published versions are immutable: bump \"version\"");
                    continue;
                }
                unchanged.Add(key);
            }
            valid[key] = module.Json;
        }

        var compiler = new AppCompiler(new FolderDefinitionRepository(valid, _repository));
        var existingApps = _repository is null ? [] : await _repository.ListAppsAsync(ct);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var appModules = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var app in content.Apps)
        {
            if (!names.Add(app.Name))
            {
                Add(problems, app.File, "name", $"an app named '{app.Name}' is defined twice in the folder (app names are unique ignoring case)");
                continue;
            }
            if (AppCatalog.CaseClash(app.Name, existingApps) is { } taken)
                Add(problems, app.File, "name", $"an app named '{taken}' exists; app names are unique ignoring case");
            var compiled = await compiler.CompileAsync(app.Name, app.Json, ct);
            foreach (var p in compiled.Problems)
                problems.Add(ForApp(app, p));
            if (compiled.Value is { } checkedApp)
                appModules[app.Name] = checkedApp.Modules.Values.Select(m => m.Module.Name).ToHashSet(StringComparer.Ordinal);
        }

        problems.Sort((a, b) => (a.File, a.Line, a.Column).CompareTo((b.File, b.Line, b.Column)));
        var toPublish = content.Modules.Where(m => !unchanged.Contains((m.Name, m.Version))).Select(m => $"{m.Name}@{m.Version}").ToList();
        return (new FolderResult(problems, content.Modules.Count, content.Apps.Count, toPublish, []), content, appModules);
    }

    private async Task<FolderResult> ApplyAsync(FolderContent content, FolderResult validated, Dictionary<string, HashSet<string>> appModules,
        CancellationToken ct)
    {
        var problems = new List<FolderProblem>();
        var published = new List<string>();
        var republished = new HashSet<string>(StringComparer.Ordinal);
        var imported = new List<string>();
        foreach (var module in content.Modules.Where(m => validated.Published.Contains($"{m.Name}@{m.Version}")))
        {
            var result = await _catalog!.PublishModuleAsync(module.Name, module.Version, module.Json, ct);
            if (result.Failure is DefinitionFailure.None)
            {
                published.Add($"{module.Name}@{module.Version}");
                republished.Add(module.Name);
            }
            // A conflict with the same text stored is another replica that published the same folder first; any other
            // conflict (a name taken ignoring case since the check) is a problem like the rest.
            else if (result.Failure is not DefinitionFailure.Conflict
                     || await _repository!.GetModuleVersionAsync(module.Name, module.Version, ct) != module.Json)
                problems.AddRange(result.Problems.Select(p => At(module.File, p.Path, p.Message)));
        }
        foreach (var app in content.Apps)
        {
            // An unchanged app is left alone, unless it uses a module that has a new version now (Auth@1 may mean 1.1.0).
            if (await _repository!.GetAppAsync(app.Name, ct) == app.Json && !appModules[app.Name].Overlaps(republished)) continue;
            var result = await _catalog!.ImportAppAsync(app.Name, app.Json, ct);
            if (result.Failure is DefinitionFailure.None) imported.Add(app.Name);
            else problems.AddRange(result.Problems.Select(p => ForApp(app, p)));
        }
        return new FolderResult(problems, validated.Modules, validated.Apps, published, imported);
    }

    private static FolderProblem ForApp(FolderApp app, DefinitionProblem p)
    {
        // JS object code: in its side file, or inside the JSON string that holds it.
        if (p.File.EndsWith(".js", StringComparison.Ordinal) && p.Line is { } line)
            return app.SideFiles.TryGetValue(p.Path, out var side)
                ? new FolderProblem(side, line, p.Column ?? 1, p.Message)
                : Located(app.File, p.Path, p.Message, app.File.Locations.FindInString(p.Path, line, p.Column ?? 1));
        return At(app.File, p.Path, p.Message);
    }

    private static void Add(List<FolderProblem> problems, FolderFile file, string path, string message) => problems.Add(At(file, path, message));

    private static FolderProblem At(FolderFile file, string path, string message) => Located(file, path, message, file.Locations.Find(path));

    private static FolderProblem Located(FolderFile file, string path, string message, SourceLocation location) =>
        new(file.Path, location.Line, location.Column, string.IsNullOrEmpty(path) || path == "$" ? message : $"{path}: {message}");

    // What a published version fixes besides its code: everything but where the code came from and the comments for people.
    private static string Comparable(ModuleDefinition module) =>
        JsonSerializer.Serialize(module with { Code = null, Main = null, Schema = null, Description = null }, DefinitionJson.Options);
}
