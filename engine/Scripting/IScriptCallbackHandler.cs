using LowCodeTokens.Engine.Storage;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// Serves what scripts ask of the engine (running a query, calling a module function). The script host
/// names the session the request came from; the handler authorizes against that session's app and scope.
/// </summary>
public interface IScriptCallbackHandler
{
    Task<ScriptCallbackResult> HandleAsync(ScriptCallback callback, CancellationToken ct);
}

/// <summary>A request from script code: <see cref="Operation"/> <c>query</c> or <c>module</c> with a JSON payload, and the store writes made before it.</summary>
public sealed record ScriptCallback(string App, string Session, string Context, string Operation, string Payload, IReadOnlyList<StoreWrite> Writes);

/// <summary>The text the script's promise resolves with (or the rejection message when <see cref="Ok"/> is false).</summary>
public sealed record ScriptCallbackResult(bool Ok, string Text, StoreSnapshot? Store = null);
