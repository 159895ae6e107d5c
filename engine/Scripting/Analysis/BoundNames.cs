using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>
/// Names bound anywhere inside a node: parameters, variable patterns, function and class names, catch parameters.
/// </summary>
/// <remarks>
/// An approximation of scope, kept from the acorn implementation: a name bound anywhere in a function hides the entity
/// of that name everywhere in the function, which can only make the page-load planner see fewer references.
/// </remarks>
internal static class BoundNames
{
    public static HashSet<string> Collect(Node root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        AstWalker.Walk(root, (node, _) =>
        {
            switch (node)
            {
                case VariableDeclarator declarator:
                    AddPattern(declarator.Id, names);
                    break;
                case FunctionDeclaration or FunctionExpression or ArrowFunctionExpression:
                    var function = (IFunction)node;
                    if (function.Id is not null)
                    {
                        names.Add(function.Id.Name);
                    }

                    foreach (var parameter in function.Params)
                    {
                        AddPattern(parameter, names);
                    }

                    break;
                case CatchClause clause:
                    AddPattern(clause.Param, names);
                    break;
                case ClassDeclaration { Id: not null } declaration:
                    names.Add(declaration.Id.Name);
                    break;
            }

            return true;
        });
        return names;
    }

    private static void AddPattern(Node? pattern, HashSet<string> names)
    {
        switch (pattern)
        {
            case Identifier identifier:
                names.Add(identifier.Name);
                break;
            case ObjectPattern objectPattern:
                foreach (var property in objectPattern.Properties)
                {
                    AddPattern(property is RestElement rest ? rest.Argument : ((Property)property).Value, names);
                }

                break;
            case ArrayPattern arrayPattern:
                foreach (var element in arrayPattern.Elements)
                {
                    AddPattern(element, names);
                }

                break;
            case RestElement rest:
                AddPattern(rest.Argument, names);
                break;
            case AssignmentPattern assignment:
                AddPattern(assignment.Left, names);
                break;
        }
    }
}
