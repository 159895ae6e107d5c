using System.Collections.Concurrent;
using Acornima;
using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>
/// Static analysis of script sources with Acornima (Jint's parser): validates modules and builds their factory
/// scripts, and lists the references of members and binding expressions for the page-load planner.
/// </summary>
internal static class ScriptAnalyzer
{
    // Every session of an app analyses the same few module sources. Only valid modules are kept; the cache is
    // emptied when full rather than tracking use, which is enough for a working set far below the bound.
    private const int ModuleCacheLimit = 256;
    private static readonly ConcurrentDictionary<string, AnalyzedModule> ModuleCache = new(StringComparer.Ordinal);

    // Parser instances hold parse state, so each call gets its own; the options are immutable and shared.
    // A hashbang is refused because the factory wraps the code and "#!" would no longer be first.
    private static readonly ParserOptions Options = new() { AllowHashBang = false };

    // Acornima stops deep recursion with InsufficientExecutionStackException; the tree walks here are iterative.
    private static readonly SourceError TooDeep = SourceErrors.AtStart("the code is nested too deeply");

    public static AnalyzedModule AnalyzeModule(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (ModuleCache.TryGetValue(code, out var cached))
        {
            return cached;
        }

        var analyzed = Analyze(code);
        if (analyzed.FactorySource is not null)
        {
            if (ModuleCache.Count >= ModuleCacheLimit)
            {
                ModuleCache.Clear();
            }

            ModuleCache.TryAdd(code, analyzed);
        }

        return analyzed;
    }

    public static ExpressionAnalysis AnalyzeExpression(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        Expression root;
        try
        {
            root = new Parser(Options).ParseExpression(expression);
        }
        catch (ParseErrorException e)
        {
            return Failed(IsSeveralStatements(expression)
                ? SourceErrors.AtStart("a binding must be a single JavaScript expression")
                : SourceErrors.From(e));
        }
        catch (InsufficientExecutionStackException)
        {
            return Failed(TooDeep);
        }

        if (ForbiddenSyntax.Find(root) is { } forbidden)
        {
            return Failed(forbidden);
        }

        // Acornima's expression parser accepts await outside any function, which a script would not.
        if (TopLevelAwait.Find(root) is { } awaitNode)
        {
            return Failed(SourceErrors.At(awaitNode, "await is not supported in a binding; use it inside an async function"));
        }

        return new ExpressionAnalysis(ReferenceCollector.Collect(root), null, StateAnalysis.Mutates(root));
    }

    private static AnalyzedModule Analyze(string code)
    {
        Module module;
        try
        {
            module = new Parser(Options).ParseModule(code);
        }
        catch (ParseErrorException e)
        {
            return FailedModule(SourceErrors.From(e));
        }
        catch (InsufficientExecutionStackException)
        {
            return FailedModule(TooDeep);
        }

        if (ModuleShape.Check(module, out var exported, out var defaultObject) is { } shapeError)
        {
            return FailedModule(shapeError);
        }

        if (DefaultExportMembers.Read(defaultObject!, out var members) is { } memberError)
        {
            return FailedModule(memberError);
        }

        return new AnalyzedModule(new ModuleAnalysis(members, null), ModuleFactory.Build(code, exported!, defaultObject!),
            StateAnalysis.HoldsNoState(module, exported!, defaultObject!));
    }

    // "a; b" or "let x = 1" is a valid script but not an expression: say so rather than point at the ';'.
    private static bool IsSeveralStatements(string expression)
    {
        try
        {
            var script = new Parser(Options).ParseScript(expression);
            return script.Body is not [NonSpecialExpressionStatement];
        }
        catch (ParseErrorException)
        {
            return false;
        }
        catch (InsufficientExecutionStackException)
        {
            return false;
        }
    }

    private static AnalyzedModule FailedModule(SourceError error) => new(new ModuleAnalysis([], error), null);

    private static ExpressionAnalysis Failed(SourceError error) => new([], error);
}
