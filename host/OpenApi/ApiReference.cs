using Scalar.AspNetCore;

namespace LowCodeTokens.Host.OpenApi;

/// <summary>
/// The API reference page for <c>/openapi/v1.json</c> (Scalar) at <see cref="Path"/>: on in Development, in other
/// environments when <c>LowCodeTokens:ApiReference:Enabled</c> is true. Everything it loads comes from this host (Scalar's
/// script is embedded in its package; its CDN fonts and telemetry are off), under a Content-Security-Policy of its own (<see cref="ApiReferenceSecurityMiddleware"/>).
/// </summary>
internal static class ApiReference
{
    public const string Path = "/scalar";
    public const string EnabledSetting = "LowCodeTokens:ApiReference:Enabled";

    public static WebApplication MapApiReference(this WebApplication app)
    {
        if (!app.Configuration.GetValue(EnabledSetting, app.Environment.IsDevelopment())) return app;
        Map(app);
        return app;
    }

    // Apart, so that a host without the page does not load Scalar's assembly (2 MB) at start-up.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Map(WebApplication app)
    {
        app.UseMiddleware<ApiReferenceSecurityMiddleware>();
        app.MapScalarApiReference(Path, options => options
            .WithTitle("LowCodeTokens API")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .AddPreferredSecuritySchemes("ApiKey")
            .AddApiKeyAuthentication("ApiKey", scheme => scheme.WithName(Auth.ApiKeys.HeaderName)));
    }
}
