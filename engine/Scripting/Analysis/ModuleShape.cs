using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>
/// Checks that a parsed module is a sandbox module: no import or export but one <c>export default</c> of an object
/// literal, no top-level await. Rules are applied in the acorn implementation's order, so a module breaking several
/// gets the same error.
/// </summary>
internal static class ModuleShape
{
    public static SourceError? Check(Module module, out ExportDefaultDeclaration? exported, out ObjectExpression? defaultObject)
    {
        exported = null;
        defaultObject = null;
        if (ForbiddenSyntax.Find(module) is { } forbidden)
        {
            return forbidden;
        }

        foreach (var statement in module.Body)
        {
            switch (statement)
            {
                case ImportDeclaration:
                    return SourceErrors.At(statement, "import is not available in scripts: all I/O goes through queries");
                case ExportNamedDeclaration or ExportAllDeclaration:
                    return SourceErrors.At(statement, "only `export default { ... }` is supported");
                case ExportDefaultDeclaration declaration:
                    if (exported is not null)
                    {
                        return SourceErrors.At(statement, "more than one `export default`");
                    }

                    exported = declaration;
                    break;
            }
        }

        if (exported is null)
        {
            return SourceErrors.AtStart("the code must `export default { ... }` an object");
        }

        if (exported.Declaration is not ObjectExpression objectExpression)
        {
            return SourceErrors.At(exported.Declaration, "`export default` must be an object literal: export default { ... }");
        }

        if (TopLevelAwait.Find(module) is { } awaitNode)
        {
            return SourceErrors.At(awaitNode, "top-level await is not supported; use it inside a function");
        }

        defaultObject = objectExpression;
        return null;
    }
}
