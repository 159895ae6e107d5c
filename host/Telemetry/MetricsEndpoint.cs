using System.Net;
using LowCodeTokens.Engine.Tokens;
using LowCodeTokens.Host.Auth;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host.Telemetry;

/// <summary>
/// <c>GET /metrics</c>: Prometheus text of the engine's meter. Needs the admin key (<c>X-Api-Key</c>) unless
/// <see cref="TelemetryOptions.MetricsOpen"/> is set or the caller's address is in <see cref="TelemetryOptions.MetricsAllowedNetworks"/>.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IEndpointConventionBuilder MapMetricsEndpoint(this IEndpointRouteBuilder routes)
    {
        var options = routes.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var networks = options.MetricsAllowedNetworks.Select(ParseNetwork).ToList();
        var adminKey = routes.ServiceProvider.GetRequiredService<AdminKeyProvider>();
        // Creates the engine's instruments (behind the event log) now, so that a scrape before the first page load shows them.
        routes.ServiceProvider.GetRequiredService<ITokenEventLog>();
        return routes.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: pipeline => pipeline.Use(async (context, next) =>
        {
            if (options.MetricsOpen || IsAllowedNetwork(context, networks) || IsAdmin(context, adminKey))
            {
                await next(context);
                return;
            }
            await TypedResults.Problem($"Send the admin key in the {ApiKeys.HeaderName} header, or allow the scraper's network ({TelemetryOptions.Section}:MetricsAllowedNetworks).",
                statusCode: StatusCodes.Status401Unauthorized, title: "An API key is required.").ExecuteAsync(context);
        }), optionsName: null).WithTags("Telemetry").ExcludeFromDescription();
    }

    private static bool IsAdmin(HttpContext context, AdminKeyProvider adminKey) =>
        ApiKeys.Presented(context.Request) is { } presented && adminKey.Matches(presented);

    private static bool IsAllowedNetwork(HttpContext context, List<IPNetwork> networks) =>
        networks.Count > 0 && context.Connection.RemoteIpAddress is { } address
        && networks.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));

    private static IPNetwork ParseNetwork(string text) =>
        IPNetwork.TryParse(text, out var network)
            ? network
            : throw new InvalidOperationException($"{TelemetryOptions.Section}:MetricsAllowedNetworks: '{text}' is not a network in CIDR notation (10.0.0.0/8, 127.0.0.1/32).");
}
