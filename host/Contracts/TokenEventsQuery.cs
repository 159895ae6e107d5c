using Microsoft.AspNetCore.Mvc;

namespace LowCodeTokens.Host.Contracts;

/// <summary>Filters of <c>GET /api/apps/{app}/events</c>: <c>?type=&amp;module=&amp;scope=&amp;since=&amp;limit=</c> (limit 1–1000, default 100).</summary>
/// <remarks>Properties, not a positional record, for the request delegate generator (see <see cref="StoreViewQuery"/>).</remarks>
public sealed record TokenEventsQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    [FromQuery(Name = "type")] public string? Type { get; init; }
    [FromQuery(Name = "module")] public string? Module { get; init; }
    [FromQuery(Name = "scope")] public string? Scope { get; init; }
    [FromQuery(Name = "since")] public DateTimeOffset? Since { get; init; }
    [FromQuery(Name = "limit")] public int? Limit { get; init; }
}
