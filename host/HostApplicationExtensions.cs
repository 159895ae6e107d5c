using LowCodeTokens.Host.Auth;
using LowCodeTokens.Host.Contracts;
using LowCodeTokens.Host.Endpoints;
using LowCodeTokens.Host.Http;
using LowCodeTokens.Host.SignIn;
using LowCodeTokens.Host.Telemetry;
using LowCodeTokens.Host.Viewer;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LowCodeTokens.Host;

public static class HostApplicationExtensions
{
    /// <summary>
    /// Security headers on every response, exception handling and status pages as problem+json, then the refusal of
    /// cross-origin browser requests and API key checks (after routing, before endpoints), then the per-key rate limits
    /// (after the key checks: they partition by the key those let in).
    /// </summary>
    public static WebApplication UseLowCodeHost(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<CrossSiteRequestMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The HTTP API of §6, the viewer, <c>/healthz</c> and <c>/openapi/v1.json</c>.</summary>
    public static WebApplication MapLowCodeEndpoints(this WebApplication app)
    {
        app.MapModuleEndpoints();
        app.MapAppEndpoints();
        app.MapRuntimeEndpoints();
        app.MapViewerEndpoints();
        app.MapSignInEndpoints();
        app.MapTokenEndpoints();
        app.MapCredentialsPage();
        app.MapMetricsEndpoint();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        app.MapOpenApi();
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new HealthResponse(report.Status switch
        {
            HealthStatus.Healthy => "ok",
            HealthStatus.Degraded => "degraded",
            _ => "unhealthy",
        }));
}
