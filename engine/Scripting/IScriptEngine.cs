namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// Runs module and JS object code in a sandbox: the one seam between the runtime and the script engine (Jint in
/// process today), so that an out-of-process worker stays possible.
/// </summary>
public interface IScriptEngine
{
    /// <summary>
    /// Opens a session's scripts: one engine per entity (the page, each module instance), created when first used.
    /// <paramref name="calls"/> serves the queries and module calls the scripts make; <paramref name="store"/> is the
    /// session's view of its (app, scope) store.
    /// </summary>
    IScriptSession OpenSession(ScriptSessionSpec spec, SessionStore store, IScriptCalls calls);
}
