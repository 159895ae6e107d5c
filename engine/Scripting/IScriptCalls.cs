using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Queries;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>What a session's scripts ask of the runtime: query runs and module calls, each crossing as JSON.</summary>
public interface IScriptCalls
{
    /// <summary>
    /// Runs query <paramref name="query"/> of <paramref name="entity"/> with its bindings evaluated to <paramref name="values"/>
    /// (in <see cref="ScriptQuerySpec.Expressions"/> order). <paramref name="rerun"/> marks the re-run after a 401.
    /// </summary>
    Task<QueryResult> RunQueryAsync(string entity, string query, IReadOnlyList<BindingValue> values, bool rerun, CancellationToken ct);

    /// <summary>
    /// Calls <paramref name="function"/> of module instance <paramref name="instance"/> with the JSON array
    /// <paramref name="argsJson"/>. <paramref name="fresh"/> skips page-load coalescing (the re-run after a 401 needs a new result).
    /// </summary>
    Task<ModuleCallResult> CallModuleAsync(string instance, string function, string argsJson, bool fresh, CancellationToken ct);

    /// <summary>
    /// Records a token lifecycle event reported by module instance <paramref name="instance"/> (<c>tokens.event</c>); returns
    /// null, or why it was refused (the script gets it as a <c>TypeError</c>). Returns at once: nothing waits on delivery.
    /// </summary>
    string? ReportTokenEvent(string instance, ScriptTokenEvent tokenEvent) => null;
}

/// <summary>A module call's value (JSON text, null for undefined) or its error message.</summary>
public sealed record ModuleCallResult(bool Ok, string? ValueJson, string? Error)
{
    public static ModuleCallResult Success(string? valueJson) => new(true, valueJson, null);
    public static ModuleCallResult Failure(string error) => new(false, null, error);
}
