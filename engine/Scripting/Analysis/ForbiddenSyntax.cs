using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>Finds the first construct that would reach outside the sandbox: dynamic <c>import()</c> or <c>import.meta</c>.</summary>
internal static class ForbiddenSyntax
{
    public static SourceError? Find(Node root)
    {
        SourceError? found = null;
        AstWalker.Walk(root, (node, _) =>
        {
            if (found is not null)
            {
                return false;
            }

            found = node switch
            {
                ImportExpression => SourceErrors.At(node, "import() is not available in scripts: all I/O goes through queries"),
                MetaProperty { Meta.Name: "import" } => SourceErrors.At(node, "import.meta is not available in scripts"),
                _ => null,
            };
            return true;
        });
        return found;
    }
}
