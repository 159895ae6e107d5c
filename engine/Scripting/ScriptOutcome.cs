using System.Diagnostics.CodeAnalysis;
using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>The result of a script call: a JSON value or an error, plus the console output and the store writes it made.</summary>
public sealed record ScriptOutcome
{
    public string? ValueJson { get; init; }
    public ScriptError? Error { get; init; }
    public IReadOnlyList<ScriptLog> Logs { get; init; } = [];
    public IReadOnlyList<StoreWrite> Writes { get; init; } = [];

    public bool WasSuccessful([NotNullWhen(true)] out string? valueJson, [NotNullWhen(false)] out ScriptError? error)
    {
        valueJson = ValueJson ?? "null";
        error = Error;
        return Error is null;
    }
}

public sealed record ScriptLog(string Level, string Text, string Source);
