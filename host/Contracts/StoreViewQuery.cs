using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Contracts;

/// <summary>Query string of the store admin view: <c>?scope=</c> (default <c>app</c>).</summary>
/// <remarks>
/// Properties, not a positional record: the request delegate generator emits <c>typeof(string?)</c> for a nullable reference
/// constructor parameter, which does not compile.
/// </remarks>
public sealed record StoreViewQuery
{
    [FromQuery(Name = "scope")] public string? Scope { get; init; }
}
