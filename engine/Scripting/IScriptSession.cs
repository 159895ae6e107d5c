namespace LowCodeTokens.Engine.Scripting;

/// <summary>The scripts of one session. Calls may overlap; the session runs script code for one of them at a time.</summary>
public interface IScriptSession : IDisposable
{
    /// <summary>
    /// True once a call in this session broke a limit (time, memory) or the engine failed: its entities' state may be
    /// half-updated, so the session refuses further calls and the runtime opens a new one.
    /// </summary>
    bool IsFaulted { get; }

    /// <summary>
    /// Calls the function at <paramref name="path"/> (e.g. <c>["JSObject1","onPageLoad"]</c>) in <paramref name="entity"/>
    /// (<c>page</c> or a module instance name) with the JSON array <paramref name="argsJson"/>; awaits its promise and any
    /// host work it started, and returns its value as JSON.
    /// </summary>
    Task<ScriptOutcome> CallAsync(string entity, IReadOnlyList<string> path, string argsJson, CancellationToken ct = default);

    /// <summary>Evaluates an action binding (a widget's <c>onClick</c> expression) in <paramref name="entity"/>, as <see cref="CallAsync"/>.</summary>
    Task<ScriptOutcome> RunExpressionAsync(string entity, string expression, CancellationToken ct = default);

    /// <summary>
    /// Evaluates widget properties in the page, in order (later ones may read earlier ones), refusing to run queries or
    /// module calls from them. The value is a JSON object: widget → property → <c>{ ok, value }</c> or <c>{ ok: false, error }</c>.
    /// </summary>
    Task<ScriptOutcome> EvaluateWidgetsAsync(IReadOnlyList<ScriptWidgetBinding> bindings, CancellationToken ct = default);

    /// <summary>
    /// The request that used the session is over and the next may be minutes away, or never: when no call is running, the
    /// engines let go of what they cached to run the code fast (a session then holds only its scripts' state).
    /// </summary>
    void Idle();
}

/// <summary>The entity name of a session's page.</summary>
public static class ScriptEntities
{
    public const string Page = "page";
}
