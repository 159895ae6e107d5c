using LowCodeTokens.Engine.Definitions;
using LowCodeTokens.Host.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LowCodeTokens.Host.Problems;

/// <summary>A rejected definition as problem+json: 409 for a conflict, otherwise 400 (a missing module version is bad input, §5), with every problem in <c>errors</c>.</summary>
internal static class DefinitionProblemResults
{
    public static ProblemHttpResult Rejected(DefinitionFailure failure, IReadOnlyList<DefinitionProblem> problems, string subject)
    {
        var conflict = failure == DefinitionFailure.Conflict;
        var extensions = new Dictionary<string, object?>
        {
            ["errors"] = problems.Select(DefinitionProblemResponse.From).ToArray(),
        };
        return TypedResults.Problem(
            detail: problems.Count > 0 ? Format(problems[0]) : null,
            statusCode: conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
            title: conflict ? $"The {subject} exists already." : $"The {subject} is not valid.",
            extensions: extensions);
    }

    /// <summary><c>file:line:column path: message</c>, leaving out what is unknown.</summary>
    public static string Format(DefinitionProblem problem)
    {
        var location = problem.File;
        if (problem.Line is { } line)
        {
            location += $":{line}";
            if (problem.Column is { } column)
                location += $":{column}";
        }
        if (!string.IsNullOrEmpty(problem.Path))
            location += $" {problem.Path}";
        return $"{location}: {problem.Message}";
    }
}
