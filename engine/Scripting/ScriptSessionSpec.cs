using System.Text.Json.Nodes;

namespace LowCodeTokens.Engine.Scripting;

/// <summary>
/// What a session's contexts hold. <see cref="Page"/>: <c>{ queries: [{name, exprs, labels, onUnauthorized}],
/// jsObjects: [{name, code}], modules: [{name, functions}], widgets: [{name, type}] }</c>; each of <see cref="Modules"/>:
/// <c>{ name, code, inputs, queries }</c>.
/// </summary>
public sealed record ScriptSessionSpec(string App, string Session, JsonObject Page, JsonArray Modules);
