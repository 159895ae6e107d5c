using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Engine.Scripting.Analysis;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>
/// Plans a page (SPEC §3): which actions run on page load (marked, or read by a widget directly or through other
/// bindings), in which layer (after the actions whose data they read), and in which order widgets evaluate.
/// </summary>
internal sealed class PagePlanner
{
    private sealed record Node(string Id, string Field, bool IsAction, PageActionKind Kind)
    {
        public List<IReadOnlyList<string>> Refs { get; } = [];
        public HashSet<string> Deps { get; } = new(StringComparer.Ordinal);
    }

    public PagePlan Plan(
        AppDefinition app, int pageIndex, IReadOnlyDictionary<string, CompiledModule> modules, IReadOnlyList<ScriptModuleSpec> scriptModules,
        List<DefinitionProblem> problems)
    {
        var page = app.Pages[pageIndex];
        var at = $"pages[{pageIndex}]";
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        var jsMembers = new Dictionary<string, IReadOnlyList<ModuleMember>>(StringComparer.Ordinal);
        var exprs = new List<(Node Node, string Field, string Expr)>();
        var scriptQueries = new List<ScriptQuerySpec>();
        var widgetItems = new List<(string Widget, string Prop, Template Template)>();
        var holdsNoState = true;

        var names = new HashSet<string>(StringComparer.Ordinal);
        void Claim(string name, string field)
        {
            if (!names.Add(name)) problems.Add(new("app.json", field, $"the name '{name}' is used twice on page '{page.Name}' (queries, JS objects, widgets and module instances share one namespace)"));
        }
        foreach (var m in app.Modules) names.Add(m.Name);

        for (int i = 0; i < page.Queries.Count; i++)
        {
            var q = page.Queries[i];
            var field = $"{at}.queries[{i}]";
            Claim(q.Name, $"{field}.name");
            var datasource = app.Datasources.FirstOrDefault(d => d.Name == q.Datasource);
            if (q.Datasource is not null && datasource is null)
                problems.Add(new("app.json", $"{field}.datasource", $"unknown datasource '{q.Datasource}'"));
            var node = nodes[q.Name] = new Node(q.Name, field, true, PageActionKind.Query);
            IReadOnlyList<QueryBinding> bindings;
            try
            {
                bindings = QueryBindings.For(q, datasource);
            }
            catch (TemplateSyntaxException e)
            {
                problems.Add(new("app.json", $"{field}.{e.FieldPath}", e.Message));
                continue;
            }
            foreach (var b in bindings) exprs.Add((node, $"{field}.{b.FieldPath}", b.Expression));
            scriptQueries.Add(ScriptQuery(q, bindings));
        }

        for (int i = 0; i < page.JsObjects.Count; i++)
        {
            var o = page.JsObjects[i];
            var field = $"{at}.jsObjects[{i}]";
            Claim(o.Name, $"{field}.name");
            var analyzed = ScriptAnalyzer.AnalyzeModule(o.Code);
            var analysis = analyzed.Analysis;
            if (analysis.Error is { } err)
            {
                problems.Add(new($"{o.Name}.js", $"{field}.code", err.Message, err.Line, err.Column));
                continue;
            }
            jsMembers[o.Name] = analysis.Members;
            holdsNoState &= analyzed.HoldsNoState;
            foreach (var m in analysis.Members.Where(m => m.IsFunction))
            {
                var node = nodes[$"{o.Name}.{m.Name}"] = new Node($"{o.Name}.{m.Name}", $"{field}.code", true, PageActionKind.Function);
                node.Refs.AddRange(m.References);
            }
            foreach (var (fn, k) in o.RunOnPageLoad.Select((f, k) => (f, k)))
                if (!analysis.Members.Any(m => m.IsFunction && m.Name == fn))
                    problems.Add(new("app.json", $"{field}.runOnPageLoad[{k}]", $"'{fn}' is not a function of {o.Name}"));
        }
        foreach (var (name, module) in modules)
            foreach (var fn in module.Functions)
                nodes[$"{name}.{fn}"] = new Node($"{name}.{fn}", $"modules.{name}", true, PageActionKind.Function);

        for (int i = 0; i < page.Widgets.Count; i++)
        {
            var w = page.Widgets[i];
            var field = $"{at}.widgets[{i}]";
            Claim(w.Name, $"{field}.name");
            var node = nodes[w.Name] = new Node(w.Name, field, false, PageActionKind.Function);
            foreach (var (prop, value) in w.Properties)
            {
                if (value.ValueKind != JsonValueKind.String) continue;
                Template template;
                try
                {
                    template = TemplateParser.Parse(value.GetString()!);
                }
                catch (TemplateSyntaxException e)
                {
                    problems.Add(new("app.json", $"{field}.{prop}", e.Message));
                    continue;
                }
                if (!template.HasBindings) continue;
                foreach (var e in template.Expressions) exprs.Add((node, $"{field}.{prop}", e));
                if (!PageRuntime.IsEvent(prop)) widgetItems.Add((w.Name, prop, template));
            }
        }

        for (int i = 0; i < exprs.Count; i++)
        {
            var (node, field, expr) = exprs[i];
            var result = ScriptAnalyzer.AnalyzeExpression(expr);
            holdsNoState &= !result.Mutates;
            if (result.Error is { } err)
                problems.Add(new("app.json", field, $"in {{{{ {expr} }}}}: {err.Message}", err.Line, err.Column));
            else if (!PageRuntime.IsEvent(field.Split('.').Last())) // an event binding runs when clicked, not on load
                node.Refs.AddRange(result.References);
        }

        // A query's re-run after 401 calls again the module functions whose .data its bindings read
        // (Auth_Module.getAccessToken), so the re-evaluated bindings see the refreshed token, not the rejected one.
        for (int i = 0; i < scriptQueries.Count; i++)
        {
            var node = nodes[scriptQueries[i].Name];
            var moduleData = node.Refs.Where(r => r.Count >= 3 && r[2] == "data" && modules.TryGetValue(r[0], out var m) && m.Functions.Contains(r[1]))
                .Select(r => $"{r[0]}.{r[1]}").Distinct(StringComparer.Ordinal).ToArray();
            if (moduleData.Length > 0) scriptQueries[i] = scriptQueries[i] with { ModuleData = moduleData };
        }

        // Edges: a node depends on the actions whose .data it reads and on the widgets it reads.
        foreach (var node in nodes.Values)
            foreach (var r in node.Refs)
            {
                var dep = DependencyOf(r, nodes, jsMembers, modules, page);
                if (dep is not null && dep != node.Id) node.Deps.Add(dep);
            }

        if (FindCycle(nodes) is { } cycle)
        {
            problems.Add(new("app.json", nodes[cycle[0]].Field, $"dependency cycle: {string.Join(" → ", cycle)}"));
            return Empty(app, page);
        }

        // Page-load actions: marked ones, plus every action a widget reaches (through other bindings too).
        var onLoad = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in page.Queries.Where(q => q.RunOnPageLoad)) onLoad.Add(q.Name);
        foreach (var o in page.JsObjects) foreach (var fn in o.RunOnPageLoad) onLoad.Add($"{o.Name}.{fn}");
        foreach (var w in page.Widgets) Reach(w.Name, nodes, onLoad, new HashSet<string>());
        foreach (var a in onLoad.ToList()) Reach(a, nodes, onLoad, new HashSet<string>());

        var layerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        int Layer(string id)
        {
            if (layerOf.TryGetValue(id, out var l)) return l;
            var deps = ActionDeps(id, nodes, new HashSet<string>()).Where(onLoad.Contains).ToList();
            return layerOf[id] = deps.Count == 0 ? 0 : deps.Max(Layer) + 1;
        }
        var layers = onLoad.Where(id => nodes.ContainsKey(id)).GroupBy(Layer).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<PageAction>)g.OrderBy(x => x, StringComparer.Ordinal).Select(id => new PageAction(id, nodes[id].Kind)).ToList())
            .ToList();

        var script = new ScriptSessionSpec(app.Name, ScriptPage(page, scriptQueries, modules) with { HoldsNoState = holdsNoState }, scriptModules);
        var jsFunctions = jsMembers.SelectMany(o => o.Value.Where(m => m.IsFunction).Select(m => $"{o.Key}.{m.Name}")).ToHashSet(StringComparer.Ordinal);
        return new PagePlan(page, layers, WidgetItems(widgetItems, nodes), StaticWidgets(page, widgetItems), script) { JsFunctions = jsFunctions };
    }

    /// <summary>A plan that runs nothing on load, with the given module instances (none: a page whose plan failed).</summary>
    internal static PagePlan Empty(AppDefinition app, PageDefinition page, IReadOnlyList<ScriptModuleSpec>? modules = null) =>
        new(page, [], [], new JsonObject(), new ScriptSessionSpec(app.Name, new ScriptPageSpec([], [], [], []), modules ?? []));

    // Everything a widget shows that no binding computes, so that a request only copies it.
    private static JsonObject StaticWidgets(PageDefinition page, List<(string Widget, string Prop, Template Template)> evaluated)
    {
        var widgets = new JsonObject();
        foreach (var w in page.Widgets)
        {
            var entry = new JsonObject { ["type"] = w.Type };
            foreach (var (name, value) in w.Properties)
                if (!evaluated.Any(i => i.Widget == w.Name && i.Prop == name))
                    entry[name] = JsonNode.Parse(value.GetRawText());
            widgets[w.Name] = entry;
        }
        return widgets;
    }

    private static string? DependencyOf(IReadOnlyList<string> r, Dictionary<string, Node> nodes,
        Dictionary<string, IReadOnlyList<ModuleMember>> jsMembers, IReadOnlyDictionary<string, CompiledModule> modules, PageDefinition page)
    {
        var root = r[0];
        if (page.Queries.Any(q => q.Name == root)) return r.Count >= 2 && r[1] == "data" ? root : null;
        if ((jsMembers.ContainsKey(root) || modules.ContainsKey(root)) && r.Count >= 3 && r[2] == "data" && nodes.ContainsKey($"{root}.{r[1]}"))
            return $"{root}.{r[1]}";
        if (page.Widgets.Any(w => w.Name == root)) return root;
        return null;
    }

    private static void Reach(string id, Dictionary<string, Node> nodes, HashSet<string> onLoad, HashSet<string> seen)
    {
        if (!seen.Add(id) || !nodes.TryGetValue(id, out var node)) return;
        foreach (var dep in node.Deps)
        {
            if (nodes[dep].IsAction) onLoad.Add(dep);
            Reach(dep, nodes, onLoad, seen);
        }
    }

    // The actions an action waits for, looking through widgets it reads.
    private static IEnumerable<string> ActionDeps(string id, Dictionary<string, Node> nodes, HashSet<string> seen)
    {
        foreach (var dep in nodes[id].Deps)
        {
            if (!seen.Add(dep)) continue;
            if (nodes[dep].IsAction) yield return dep;
            else foreach (var d in ActionDeps(dep, nodes, seen)) yield return d;
        }
    }

    private static List<string>? FindCycle(Dictionary<string, Node> nodes)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        List<string>? Visit(string id)
        {
            state[id] = 1;
            stack.Add(id);
            foreach (var dep in nodes[id].Deps.OrderBy(d => d, StringComparer.Ordinal))
            {
                var s = state.GetValueOrDefault(dep);
                if (s == 1) return [.. stack.Skip(stack.IndexOf(dep)), dep];
                if (s == 0 && Visit(dep) is { } found) return found;
            }
            stack.RemoveAt(stack.Count - 1);
            state[id] = 2;
            return null;
        }
        foreach (var id in nodes.Keys.OrderBy(k => k, StringComparer.Ordinal))
            if (state.GetValueOrDefault(id) == 0 && Visit(id) is { } cycle) return cycle;
        return null;
    }

    private static List<ScriptWidgetBinding> WidgetItems(List<(string Widget, string Prop, Template Template)> items, Dictionary<string, Node> nodes)
    {
        // Widgets that read other widgets come after them.
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string w)
        {
            if (!seen.Add(w)) return;
            foreach (var dep in nodes[w].Deps.Where(d => !nodes[d].IsAction)) Visit(dep);
            order.Add(w);
        }
        foreach (var w in items.Select(i => i.Widget).Distinct()) Visit(w);
        return items.OrderBy(i => order.IndexOf(i.Widget))
            .Select(i => new ScriptWidgetBinding(i.Widget, i.Prop, i.Template.IsSingleBinding,
                i.Template.Segments.Select(s => new ScriptTextSegment(s.Text, s.IsBinding)).ToList()))
            .ToList();
    }

    internal static ScriptQuerySpec ScriptQuery(QueryDefinition q, IReadOnlyList<QueryBinding> bindings) =>
        new(q.Name, bindings.Select(b => b.Expression).ToList(), bindings.Select(b => b.FieldPath).ToList(), q.OnUnauthorized);

    private static ScriptPageSpec ScriptPage(PageDefinition page, List<ScriptQuerySpec> queries, IReadOnlyDictionary<string, CompiledModule> modules) => new(
        queries,
        page.JsObjects.Select(o => new ScriptCodeSpec(o.Name, o.Code, $"{o.Name}.js")).ToList(),
        modules.Values.Select(m => new ScriptModuleProxySpec(m.Name, m.Functions.ToList())).ToList(),
        page.Widgets.Select(w => new ScriptWidgetSpec(w.Name, w.Type)).ToList());
}
