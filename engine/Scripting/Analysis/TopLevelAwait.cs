using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>
/// Finds an <c>await</c> that is not inside any function: module top-level code and bindings both run inside plain
/// (not async) functions, where it cannot appear.
/// </summary>
internal static class TopLevelAwait
{
    public static Node? Find(Node root)
    {
        Node? found = null;
        AstWalker.Walk(root, (node, _) =>
        {
            if (found is not null || node is FunctionDeclaration or FunctionExpression or ArrowFunctionExpression)
            {
                return false;
            }

            if (node is AwaitExpression
                or ForOfStatement { Await: true }
                or VariableDeclaration { Kind: VariableDeclarationKind.AwaitUsing })
            {
                found = node;
            }

            return true;
        });
        return found;
    }
}
