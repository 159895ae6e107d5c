using System.Text.Json;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// Runs module and JS object code in a sandbox. One implementation today (a supervised Node.js process);
/// nothing else in the engine may depend on which backend runs.
/// </summary>
public interface IScriptHost
{
    /// <summary>A round trip through the transport and back, for health checks and benchmarks.</summary>
    Task<JsonElement> EchoAsync(JsonElement payload, CancellationToken ct = default);

    /// <summary>Parses module code and binding expressions: syntax errors with line and column, members, references.</summary>
    Task<ScriptAnalysis> AnalyzeAsync(string? code, IReadOnlyList<string> expressions, CancellationToken ct = default);

    /// <summary>Creates the session's contexts (page and module instances). Fails with <see cref="ScriptError"/> for bad code.</summary>
    Task<ScriptOutcome> OpenSessionAsync(ScriptSessionSpec spec, CancellationToken ct = default);

    Task<ScriptOutcome> InvokeAsync(ScriptInvocation invocation, CancellationToken ct = default);

    /// <summary>Evaluates widget properties in the page context, in order. The value is a JSON object per widget and property.</summary>
    Task<ScriptOutcome> EvaluateAsync(string app, string session, JsonArray items, StoreSnapshot? store, CancellationToken ct = default);

    Task CloseSessionAsync(string app, string session, CancellationToken ct = default);
}
