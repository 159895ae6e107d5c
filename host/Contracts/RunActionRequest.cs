using System.Text.Json.Nodes;

namespace LowCodeTokens.Host.Contracts;

/// <summary>Body of a run: the action (<c>Auth_Module.getAccessToken</c>, <c>JSObject1.fn</c>, <c>getusers_API</c>, <c>Button1.onClick</c>) and its arguments.</summary>
public sealed record RunActionRequest(string? Action, JsonNode? Args);
