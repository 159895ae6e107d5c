using Acornima;
using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>
/// Whether code can keep state of its own between calls. An entity whose code cannot (only constants and functions at
/// the top level, only function members, nothing assigned outside a function's own variables, <c>this</c> used only to
/// call members) can have its engine released when its session goes idle and rebuilt on the next call, with the state
/// the runtime keeps for it (query data, <c>fn.data</c>, widget values) put back: nothing a script can observe differs
/// (but for console output of top-level code, which runs again).
/// </summary>
/// <remarks>Conservative on purpose: anything it cannot prove stateless (classes, top-level statements, mutating calls on
/// non-local objects, <c>this</c> outside a member call) counts as state, and such an entity keeps its engine.</remarks>
internal static class StateAnalysis
{
    private static readonly HashSet<string> Mutators = new(StringComparer.Ordinal)
    {
        "assign", "defineProperty", "defineProperties", "setPrototypeOf", "set", "deleteProperty", "freeze", "seal", "preventExtensions",
    };

    public static bool HoldsNoState(Module module, ExportDefaultDeclaration exported, ObjectExpression defaultObject)
    {
        var moduleNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in module.Body)
        {
            switch (statement)
            {
                case ExportDefaultDeclaration d when ReferenceEquals(d, exported):
                    break;
                case FunctionDeclaration { Id: { } id, Generator: false }:
                    moduleNames.Add(id.Name);
                    break;
                case VariableDeclaration { Kind: VariableDeclarationKind.Const } constants:
                    foreach (var declarator in constants.Declarations)
                    {
                        if (declarator.Id is not Identifier name || declarator.Init is null || !IsInert(declarator.Init, moduleNames)) return false;
                        moduleNames.Add(name.Name);
                    }
                    break;
                case Directive:
                    break;
                default:
                    return false;
            }
        }

        foreach (var property in defaultObject.Properties)
        {
            if (property is not ObjectProperty { Value: FunctionExpression or ArrowFunctionExpression }) return false;
        }

        var locals = LocalNames(module);
        locals.ExceptWith(moduleNames);
        return !MutatesOutside(module, locals, ThisUse.MemberCalls);
    }

    /// <summary>Whether a binding expression can change anything: an assignment, an update, a delete, or a mutating built-in call.</summary>
    /// <remarks>Reading <c>this</c> is fine in a binding: it is the run's own scope object (<c>this.params</c>).</remarks>
    public static bool Mutates(Node expression) => MutatesOutside(expression, [], thisScope: ThisUse.Any);

    // Names declared inside functions (parameters, variables, catch parameters): what a function may assign freely. A local that
    // shadows a module-level name counts as module-level (the caller removes those), which can only find more state.
    private static HashSet<string> LocalNames(Module module) => BoundNames.Collect(module);

    private enum ThisUse { MemberCalls, Any }

    private static bool MutatesOutside(Node root, HashSet<string> locals, ThisUse thisScope)
    {
        var found = false;
        AstWalker.Walk(root, (node, parent) =>
        {
            if (found) return false;
            switch (node)
            {
                case AssignmentExpression assignment when !TargetsLocal(assignment.Left, locals):
                case UpdateExpression update when !TargetsLocal(update.Argument, locals):
                case NonUpdateUnaryExpression { Operator: Operator.Delete } delete when !TargetsLocal(delete.Argument, locals):
                case ClassDeclaration or ClassExpression:
                    found = true;
                    return false;
                case ThisExpression:
                    // Only `this.member(...)`: anything else could hand the object to code that changes it.
                    found = thisScope != ThisUse.Any && !(parent is MemberExpression { Computed: false } member
                              && ReferenceEquals(member.Object, node) && IsCallee(member, root));
                    return false;
                case CallExpression call when IsMutatingBuiltIn(call, locals):
                    found = true;
                    return false;
            }
            return true;
        });
        return found;
    }

    // A member expression is a callee when some call in the tree has it as its callee (parents are not kept by Acornima).
    private static bool IsCallee(MemberExpression member, Node root)
    {
        var callee = false;
        AstWalker.Walk(root, (node, _) =>
        {
            if (callee) return false;
            if (node is CallExpression call && ReferenceEquals(Unwrap(call.Callee), member)) callee = true;
            return true;
        });
        return callee;
    }

    private static Node Unwrap(Node node) => node switch
    {
        ParenthesizedExpression p => Unwrap(p.Expression),
        ChainExpression c => Unwrap(c.Expression),
        _ => node,
    };

    // Object.assign(x, …), Reflect.set(x, …) and the like change their first argument: fine on a local or a fresh object.
    private static bool IsMutatingBuiltIn(CallExpression call, HashSet<string> locals)
    {
        if (Unwrap(call.Callee) is not MemberExpression { Computed: false, Object: Identifier { Name: "Object" or "Reflect" }, Property: Identifier method }
            || !Mutators.Contains(method.Name))
            return false;
        if (call.Arguments.Count == 0) return false;
        return call.Arguments[0] switch
        {
            Identifier id => !locals.Contains(id.Name),
            ObjectExpression or ArrayExpression or NewExpression => false,
            _ => true,
        };
    }

    // The target of an assignment must be rooted at a function's own variable (`x = …`, `form.a = …`, `[a, b] = …`).
    private static bool TargetsLocal(Node target, HashSet<string> locals)
    {
        switch (Unwrap(target))
        {
            case Identifier id:
                return locals.Contains(id.Name);
            case MemberExpression member:
                var root = Unwrap(member.Object);
                while (root is MemberExpression inner) root = Unwrap(inner.Object);
                return root is Identifier rootId && locals.Contains(rootId.Name);
            case ArrayPattern array:
                return array.Elements.All(e => e is null || TargetsLocal(e, locals));
            case ObjectPattern obj:
                return obj.Properties.All(p => p switch
                {
                    AssignmentProperty a => TargetsLocal(a.Value, locals),
                    RestElement r => TargetsLocal(r.Argument, locals),
                    _ => false,
                });
            case AssignmentPattern pattern:
                return TargetsLocal(pattern.Left, locals);
            case RestElement rest:
                return TargetsLocal(rest.Argument, locals);
            default:
                return false;
        }
    }

    // A constant's initial value that cannot be an object whose contents change: literals, functions, arithmetic on them.
    private static bool IsInert(Node init, HashSet<string> moduleNames) => Unwrap(init) switch
    {
        Literal => true,
        TemplateLiteral template => template.Expressions.All(e => IsInert(e, moduleNames)),
        Identifier id => moduleNames.Contains(id.Name) || id.Name is "undefined" or "NaN" or "Infinity",
        ArrowFunctionExpression or FunctionExpression => true,
        NonUpdateUnaryExpression { Operator: not Operator.Delete } unary => IsInert(unary.Argument, moduleNames),
        BinaryExpression binary => IsInert(binary.Left, moduleNames) && IsInert(binary.Right, moduleNames),
        ConditionalExpression conditional => IsInert(conditional.Test, moduleNames) && IsInert(conditional.Consequent, moduleNames)
                                             && IsInert(conditional.Alternate, moduleNames),
        _ => false,
    };
}
