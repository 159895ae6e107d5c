using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Host.Contracts;

/// <summary>One entry of a rejected definition's <c>errors</c>: where (file, JSON path, 1-based line and column for code) and what.</summary>
public sealed record DefinitionProblemResponse(string File, string Path, string Message, int? Line, int? Column)
{
    public static DefinitionProblemResponse From(DefinitionProblem problem) =>
        new(problem.File, problem.Path, problem.Message, problem.Line, problem.Column);
}
