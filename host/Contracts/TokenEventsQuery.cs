using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Contracts;

/// <summary>Filters of <c>GET /api/apps/{app}/events</c>: <c>?type=&amp;module=&amp;scope=&amp;since=&amp;limit=</c> (limit 1–1000, default 100).</summary>
public sealed record TokenEventsQuery(
    [FromQuery(Name = "type")] string? Type = null,
    [FromQuery(Name = "module")] string? Module = null,
    [FromQuery(Name = "scope")] string? Scope = null,
    [FromQuery(Name = "since")] DateTimeOffset? Since = null,
    [FromQuery(Name = "limit")] int? Limit = null)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
}
