using Acornima;
using Acornima.Ast;

namespace LowCodeTokens.Engine.Scripting.Analysis;

/// <summary>Builds <see cref="SourceError"/>s with 1-based lines and columns from Acornima's nodes and parse errors.</summary>
internal static class SourceErrors
{
    public static SourceError At(Node node, string message) =>
        new(message, node.Location.Start.Line, node.Location.Start.Column + 1);

    public static SourceError AtStart(string message) => new(message, 1, 1);

    // Description is the message without the " (line:col)" that Message appends; Column is zero-based.
    public static SourceError From(ParseErrorException e) =>
        e.LineNumber > 0
            ? new SourceError(e.Description, e.LineNumber, e.Column + 1)
            : AtStart(e.Description);
}
