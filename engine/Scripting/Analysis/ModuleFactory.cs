using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>
/// Rewrites a module into a script that evaluates to a factory function: <c>export default</c> becomes an assignment
/// to a local that the function returns, so its caller chooses <c>this</c> for the top-level code and every arrow
/// function in it.
/// </summary>
internal static class ModuleFactory
{
    /// <summary>The wrapper's text before the module code, on the module's first line.</summary>
    public const string Prefix = "(function(){\"use strict\";let " + DefaultName + ";";

    private const string DefaultName = "__lcDefault";
    private const string Assignment = DefaultName + "=";

    // The newline ends a trailing line comment in the module.
    private const string Suffix = "\n;return " + DefaultName + ";})";

    public static string Build(string code, ExportDefaultDeclaration exported, ObjectExpression defaultObject)
    {
        // `export default` and what follows it up to the object is replaced by text of the same length with the same
        // line breaks, so that every position after it is unchanged: runtime errors report the module's own lines.
        // The span is always longer than the assignment: it holds at least "export default".
        var span = ReplacementFor(code, exported.Start, defaultObject.Start);
        return string.Concat(Prefix, code[..exported.Start], span, code[defaultObject.Start..], Suffix);
    }

    private static string ReplacementFor(string code, int start, int end)
    {
        var replacement = new char[end - start];
        for (var i = start; i < end; i++)
        {
            replacement[i - start] = IsLineBreak(code[i]) ? code[i] : ' ';
        }

        // The parser drops the parentheses of `export default ({ ... })` from the tree: the opening ones lie in the
        // span and are kept, or the closing ones after the object would be left unmatched. Between the keywords and
        // the object there are only blanks, comments and parentheses, and a comment cannot end the span.
        for (var i = start; i < end; i++)
        {
            if (code[i] == '/' && code[i + 1] == '/')
            {
                while (i < end && !IsLineBreak(code[i]))
                {
                    i++;
                }
            }
            else if (code[i] == '/' && code[i + 1] == '*')
            {
                i = code.IndexOf("*/", i + 2, StringComparison.Ordinal) + 1;
            }
            else if (code[i] == '(')
            {
                replacement[i - start] = '(';
            }
        }

        Assignment.CopyTo(replacement);
        return new string(replacement);
    }

    private static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';
}
