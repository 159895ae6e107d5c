namespace LowCodeTokens.Engine.Scripting;

/// <summary>Why a script call failed.</summary>
public enum ScriptErrorKind
{
    /// <summary>The script threw or rejected.</summary>
    Script,
    /// <summary>The script ran past the time limit or the invocation deadline.</summary>
    Timeout,
    /// <summary>The script exceeded its memory limit.</summary>
    Memory,
    /// <summary>
    /// The call was stopped because another call in the same session broke a limit (or the engine failed): the
    /// session's scripts were discarded. Retrying works, in a fresh session state.
    /// </summary>
    Crashed,
    /// <summary>The app is quarantined after breaking its limits repeatedly.</summary>
    Quarantined,
}

/// <summary>A script failure: kind, the error's name and message, a user-code stack, and whether a retry can succeed.</summary>
public sealed record ScriptError(ScriptErrorKind Kind, string Name, string Message, string? Stack = null, int? Line = null, int? Column = null)
{
    public bool IsRetriable => Kind is ScriptErrorKind.Crashed;
}
