using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Contracts;

/// <summary>Query string of the store admin view: <c>?scope=</c> (default <c>app</c>).</summary>
public sealed record StoreViewQuery([FromQuery(Name = "scope")] string? Scope = null);
