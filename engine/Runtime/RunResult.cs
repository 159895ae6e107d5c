using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Scripting;

namespace LowCodeTokens.Engine.Runtime;

/// <summary>What a run in a session produced: its result (or error), the actions it caused, the re-evaluated widgets, the console output.</summary>
public sealed record RunResult(JsonNode? Result, ScriptError? Error, IReadOnlyList<ActionReport> Actions, JsonObject Widgets, IReadOnlyList<ScriptLog> Logs);
