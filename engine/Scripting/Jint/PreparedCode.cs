using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using StrongBox = System.Runtime.CompilerServices.StrongBox<Jint.Prepared<Acornima.Ast.Script>>;
using System.Text;
using Acornima.Ast;
using Jint;
using LowCodeTokens.Engine.Scripting.Analysis;

namespace LowCodeTokens.Engine.Scripting.Jint;

using Engine = global::Jint.Engine;

/// <summary>
/// Code parsed once and run in many engines (<c>Engine.PrepareScript</c>): the factory of each exported object, and the
/// binding functions of each query, page and action. Looked up by the spec instances, which live as long as the compiled
/// app; factories and query bindings are also shared by content, so that a hundred apps using one module version hold one
/// parsed copy of it (measured: without that, each app kept its own).
/// </summary>
internal sealed class PreparedCode
{
    private const int MaxExpressions = 2000;
    private readonly ConditionalWeakTable<ScriptCodeSpec, StrongBox> _factories = new();
    private readonly ConditionalWeakTable<ScriptQuerySpec, StrongBox> _queries = new();
    private readonly ConditionalWeakTable<IReadOnlyList<ScriptWidgetBinding>, StrongBox> _widgets = new();
    private readonly ConcurrentDictionary<string, Prepared<Script>> _expressions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string File, string Code), StrongBox> _factoriesByCode = new();
    private readonly ConcurrentDictionary<string, StrongBox> _bindingsByText = new(StringComparer.Ordinal);

    public Prepared<Script> Factory(ScriptCodeSpec code) =>
        _factories.GetValue(code, c => Bounded(_factoriesByCode).GetOrAdd((c.File, c.Code), _ => new StrongBox(Prepare(c)))).Value;

    private static Prepared<Script> Prepare(ScriptCodeSpec c)
    {
        var analyzed = ScriptAnalyzer.AnalyzeModule(c.Code);
        if (analyzed.Analysis.Error is { } error || analyzed.FactorySource is null)
            throw new InvalidOperationException($"{c.File}:{analyzed.Analysis.Error?.Line}:{analyzed.Analysis.Error?.Column}: {analyzed.Analysis.Error?.Message}");
        return Engine.PrepareScript(analyzed.FactorySource, c.File, strict: true);
    }

    public Prepared<Script> Query(ScriptQuerySpec query) =>
        _queries.GetValue(query, q => Bounded(_bindingsByText).GetOrAdd(q.Name + "\u0000" + string.Join("\u0000", q.Expressions),
            _ => new StrongBox(Bindings(q.Expressions, $"{q.Name} bindings")))).Value;

    public Prepared<Script> Widgets(IReadOnlyList<ScriptWidgetBinding> bindings) =>
        _widgets.GetValue(bindings, static b => new StrongBox(
            Bindings(b.SelectMany(x => x.Segments).Where(s => s.IsExpression).Select(s => s.Text).ToList(), "widget bindings"))).Value;

    // Definitions come and go with imports: past the bound the content caches start over (specs keep what they hold).
    private static ConcurrentDictionary<TKey, StrongBox> Bounded<TKey>(ConcurrentDictionary<TKey, StrongBox> cache) where TKey : notnull
    {
        if (cache.Count >= MaxExpressions) cache.Clear();
        return cache;
    }

    public Prepared<Script> Expression(string expression)
    {
        if (_expressions.TryGetValue(expression, out var prepared)) return prepared;
        if (_expressions.Count >= MaxExpressions) _expressions.Clear();
        return _expressions[expression] = Bindings([expression], "action binding");
    }

    /// <summary>An array of functions, one per expression, each returning its expression's value (<c>this</c> = the binding scope).</summary>
    private static Prepared<Script> Bindings(IReadOnlyList<string> expressions, string source)
    {
        var text = new StringBuilder("[");
        foreach (var e in expressions)
            text.Append("function(){return (").Append(e).Append("\n);},");
        text.Append(']');
        return Engine.PrepareScript(text.ToString(), source, strict: true);
    }
}
