using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Engine.Scripting.Analysis;
using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>Validates definitions (JSON, fields, code, bindings, references, cycles) and compiles apps for the runtime.</summary>
internal sealed class AppCompiler(IDefinitionRepository repository)
{
    private readonly ConcurrentDictionary<string, (ModuleDefinition Module, IReadOnlyList<ModuleMember> Members)> _modules = new(StringComparer.Ordinal);
    private readonly PagePlanner _planner = new();

    public async Task<DefinitionResult<ModuleDefinition>> CheckModuleAsync(string name, string version, string json, CancellationToken ct)
    {
        var module = DefinitionJson.Read<ModuleDefinition>(json, "module.json", out var problem);
        if (module is null) return DefinitionResult<ModuleDefinition>.Fail(DefinitionFailure.Invalid, problem!);
        if (module.Name != name || module.Version != version)
            return DefinitionResult<ModuleDefinition>.Fail(DefinitionFailure.Invalid,
                new DefinitionProblem("module.json", module.Name != name ? "name" : "version", $"'{module.Name}@{module.Version}' does not match the URL ('{name}@{version}')"));
        var problems = Validate(new ModuleDefinitionValidator(), module, "module.json");
        if (problems.Count > 0) return new(null, problems, DefinitionFailure.Invalid);

        var mainFile = MainFileName(module);
        var analysis = ScriptAnalyzer.AnalyzeModule(module.Code ?? "").Analysis;
        if (analysis.Error is { } err)
            return DefinitionResult<ModuleDefinition>.Fail(DefinitionFailure.Invalid, new DefinitionProblem(mainFile, "code", err.Message, err.Line, err.Column));
        var functions = analysis.Members.Where(m => m.IsFunction).Select(m => m.Name).ToHashSet();
        for (int i = 0; i < module.SingleFlight.Count; i++)
            if (!functions.Contains(module.SingleFlight[i]))
                problems.Add(new("module.json", $"singleFlight[{i}]", $"'{module.SingleFlight[i]}' is not a function of {mainFile}"));
        for (int i = 0; i < module.Queries.Count; i++)
            CheckQueryBindings(module.Queries[i], "module.json", $"queries[{i}]", problems);
        return problems.Count > 0 ? new(null, problems, DefinitionFailure.Invalid) : DefinitionResult<ModuleDefinition>.Ok(module);
    }

    private static void CheckQueryBindings(QueryDefinition query, string file, string field, List<DefinitionProblem> problems)
    {
        IReadOnlyList<QueryBinding> bindings;
        try
        {
            bindings = QueryBindings.For(query);
        }
        catch (TemplateSyntaxException e)
        {
            problems.Add(new(file, $"{field}.{e.FieldPath}", e.Message));
            return;
        }
        for (int i = 0; i < bindings.Count; i++)
            if (ScriptAnalyzer.AnalyzeExpression(bindings[i].Expression).Error is { } err)
                problems.Add(new(file, $"{field}.{bindings[i].FieldPath}", $"in {{{{ {bindings[i].Expression} }}}}: {err.Message}", err.Line, err.Column));
    }

    public async Task<DefinitionResult<CompiledApp>> CompileAsync(string name, string json, CancellationToken ct)
    {
        var app = DefinitionJson.Read<AppDefinition>(json, "app.json", out var problem);
        if (app is null) return DefinitionResult<CompiledApp>.Fail(DefinitionFailure.Invalid, problem!);
        if (app.Name != name)
            return DefinitionResult<CompiledApp>.Fail(DefinitionFailure.Invalid, new DefinitionProblem("app.json", "name", $"'{app.Name}' does not match the URL ('{name}')"));
        var problems = Validate(new AppDefinitionValidator(), app, "app.json");
        if (problems.Count > 0) return new(null, problems, DefinitionFailure.Invalid);

        var modules = new Dictionary<string, CompiledModule>(StringComparer.Ordinal);
        for (int i = 0; i < app.Modules.Count; i++)
        {
            var compiled = await ResolveModuleAsync(app.Modules[i], $"modules[{i}]", problems, ct);
            if (compiled is not null) modules[compiled.Name] = compiled;
        }
        if (app.SignIn is { } signIn && !(modules.TryGetValue(signIn.Tokens, out var keeper)
                && keeper.Functions.Contains(SignInDefinitionValidator.AcceptTokensFunction)))
            problems.Add(new("app.json", "signIn.tokens", modules.ContainsKey(signIn.Tokens)
                ? $"module instance '{signIn.Tokens}' does not declare {SignInDefinitionValidator.AcceptTokensFunction}(response): use a module that accepts sign-in tokens (Auth@1.1 or later)"
                : $"'{signIn.Tokens}' is not a module instance of this app"));
        if (problems.Count > 0) return new(null, problems, DefinitionFailure.Invalid);

        var scriptModules = modules.Values.Select(m => new ScriptModuleSpec(
            new ScriptCodeSpec(m.Name, m.Module.Code ?? "", $"{m.Name}/{MainFileName(m.Module)}"),
            m.Inputs.ToJsonString(),
            m.Module.Queries.Select(q => PagePlanner.ScriptQuery(q, QueryBindings.For(q))).ToList(),
            ScriptAnalyzer.AnalyzeModule(m.Module.Code ?? "").HoldsNoState
                && m.Module.Queries.All(q => QueryBindings.For(q).All(b => !ScriptAnalyzer.AnalyzeExpression(b.Expression).Mutates)))).ToList();
        var pages = new Dictionary<string, PagePlan>(StringComparer.Ordinal);
        for (int i = 0; i < app.Pages.Count; i++)
            pages[app.Pages[i].Name] = _planner.Plan(app, i, modules, scriptModules, problems);
        if (problems.Count > 0) return new(null, problems, DefinitionFailure.Invalid);
        return DefinitionResult<CompiledApp>.Ok(new CompiledApp(app, modules, pages, scriptModules));
    }

    private async Task<CompiledModule?> ResolveModuleAsync(ModuleInstanceDefinition instance, string field, List<DefinitionProblem> problems, CancellationToken ct)
    {
        var match = Names.ModuleReference().Match(instance.Module);
        var moduleName = match.Groups["name"].Value;
        var spec = match.Groups["spec"].Value;
        var versions = await repository.ListModuleVersionsAsync(moduleName, ct);
        // An exact version names itself (a pre-release too); Auth@1 and Auth@1.2 take the highest release they cover.
        var chosen = versions.Contains(spec, StringComparer.Ordinal) ? spec : versions
            .Where(v => v.StartsWith(spec + ".", StringComparison.Ordinal) && !v.Contains('-', StringComparison.Ordinal))
            .OrderByDescending(v => Version.TryParse(v, out var parsed) ? parsed : new Version(0, 0))
            .FirstOrDefault();
        if (chosen is null)
        {
            var published = versions.Count == 0 ? "none" : string.Join(", ", versions);
            problems.Add(new("app.json", $"{field}.module", $"module version {instance.Module} is not published (published versions of '{moduleName}': {published})"));
            return null;
        }
        var (module, members) = await LoadModuleAsync(moduleName, chosen, ct);

        var inputs = new JsonObject();
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, declared) in module.Inputs)
        {
            var isObject = declared.ValueKind == JsonValueKind.Object;
            if (isObject && declared.TryGetProperty("secret", out var s) && s.ValueKind == JsonValueKind.True) secrets.Add(key);
            var fallback = isObject ? (declared.TryGetProperty("default", out var d) ? d : default) : declared;
            inputs[key] = fallback.ValueKind == JsonValueKind.Undefined ? "" : JsonNode.Parse(fallback.GetRawText());
        }
        foreach (var (key, value) in instance.Inputs)
        {
            if (!module.Inputs.ContainsKey(key))
                problems.Add(new("app.json", $"{field}.inputs.{key}", $"'{key}' is not an input of {moduleName}@{chosen} (inputs: {string.Join(", ", module.Inputs.Keys)})"));
            inputs[key] = JsonNode.Parse(value.GetRawText());
        }
        return new CompiledModule(instance, module, members, inputs, secrets);
    }

    private async Task<(ModuleDefinition, IReadOnlyList<ModuleMember>)> LoadModuleAsync(string name, string version, CancellationToken ct)
    {
        var key = $"{name}@{version}";
        if (_modules.TryGetValue(key, out var cached)) return cached;
        var json = await repository.GetModuleVersionAsync(name, version, ct)
            ?? throw new InvalidOperationException($"Module {key} is listed but its definition is missing.");
        var module = JsonSerializer.Deserialize<ModuleDefinition>(json, DefinitionJson.Options)!;
        var loaded = (module, ScriptAnalyzer.AnalyzeModule(module.Code ?? "").Analysis.Members);
        _modules[key] = loaded;
        return loaded;
    }

    // The name scripts see in stacks and errors: main's file name only. A build tool may write main as a path on the
    // machine that published it (this host's own, in the probe), and a stack is returned to callers and browsers.
    private static string MainFileName(ModuleDefinition module)
    {
        var main = module.Main ?? "";
        var name = main[(main.LastIndexOfAny(['/', '\\']) + 1)..];
        return name.Length > 0 ? name : "main.js";
    }

    private static List<DefinitionProblem> Validate<T>(IValidator<T> validator, T value, string file) =>
        validator.Validate(value).Errors.Select(e => new DefinitionProblem(file, CamelPath(e.PropertyName), e.ErrorMessage)).ToList();

    // FluentValidation names members as in C# (Pages[0].Queries[1].Url); definitions use JSON names.
    private static string CamelPath(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length > 0 ? char.ToLowerInvariant(p[0]) + p[1..] : p));
}
