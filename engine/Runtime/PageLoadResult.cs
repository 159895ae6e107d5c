using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>What a page load produced: the session to continue, each action, the widgets' evaluated properties, the console output.</summary>
public sealed record PageLoadResult(string SessionId, IReadOnlyList<ActionReport> Actions, JsonObject Widgets, IReadOnlyList<ScriptLog> Logs);
