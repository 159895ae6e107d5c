using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>What one session's scripts ask of the runtime, answered for that session's app and scope only.</summary>
internal sealed class SessionScriptCalls(PageRuntime runtime, Session session) : IScriptCalls
{
    public Task<QueryResult> RunQueryAsync(string entity, string query, IReadOnlyList<BindingValue> values, bool rerun, CancellationToken ct) =>
        runtime.RunQueryAsync(session, entity, query, values, rerun, ct);

    public Task<ModuleCallResult> CallModuleAsync(string instance, string function, string argsJson, bool fresh, CancellationToken ct) =>
        runtime.CallModuleAsync(session, instance, function, argsJson, fresh, ct);

    public string? ReportTokenEvent(string instance, ScriptTokenEvent tokenEvent) => runtime.ReportTokenEvent(session, instance, tokenEvent);
}
