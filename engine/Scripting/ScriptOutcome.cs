using System.Diagnostics.CodeAnalysis;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>The result of a script call: a JSON value or an error, plus the console output it produced.</summary>
public sealed record ScriptOutcome
{
    public string? ValueJson { get; init; }
    public ScriptError? Error { get; init; }
    public IReadOnlyList<ScriptLog> Logs { get; init; } = [];

    public bool WasSuccessful([NotNullWhen(true)] out string? valueJson, [NotNullWhen(false)] out ScriptError? error)
    {
        valueJson = ValueJson ?? "null";
        error = Error;
        return Error is null;
    }

    public static ScriptOutcome Failed(ScriptError error, IReadOnlyList<ScriptLog>? logs = null) => new() { Error = error, Logs = logs ?? [] };
}

public sealed record ScriptLog(string Level, string Text, string Source);
