namespace LowCodeTokens.Engine.Scripting;

/// <summary>Why a script call failed.</summary>
public enum ScriptErrorKind
{
    /// <summary>The script threw or rejected.</summary>
    Script,
    /// <summary>The script ran past the time limit or the invocation deadline.</summary>
    Timeout,
    /// <summary>The app's scripts exceeded their memory limit.</summary>
    Memory,
    /// <summary>The script host or the app's worker stopped while the call was in flight; retrying works.</summary>
    Crashed,
    /// <summary>The session's contexts are gone (the worker was restarted); reopen the session.</summary>
    SessionUnknown,
    /// <summary>The app is quarantined after bringing its scripts down repeatedly.</summary>
    Quarantined,
}

/// <summary>A script failure: kind, the error's name and message, a user-code stack, and whether a retry can succeed.</summary>
public sealed record ScriptError(ScriptErrorKind Kind, string Name, string Message, string? Stack = null, int? Line = null, int? Column = null)
{
    public bool IsRetriable => Kind is ScriptErrorKind.Crashed or ScriptErrorKind.SessionUnknown;
}
