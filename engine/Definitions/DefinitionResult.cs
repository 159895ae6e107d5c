using System.Diagnostics.CodeAnalysis;

namespace LowCodeTokens.Engine.Definitions;

public enum DefinitionFailure { None, Invalid, Conflict, NotFound }

/// <summary>A definition accepted (with its value) or rejected (with the problems, and why: invalid, conflict, not found).</summary>
public sealed record DefinitionResult<T>(T? Value, IReadOnlyList<DefinitionProblem> Problems, DefinitionFailure Failure = DefinitionFailure.None)
    where T : class
{
    public static DefinitionResult<T> Ok(T value) => new(value, []);
    public static DefinitionResult<T> Fail(DefinitionFailure failure, params DefinitionProblem[] problems) => new(null, problems, failure);

    public bool WasSuccessful([NotNullWhen(true)] out T? value, out IReadOnlyList<DefinitionProblem> problems)
    {
        value = Value;
        problems = Problems;
        return Failure == DefinitionFailure.None && Value is not null;
    }
}
