using System.Diagnostics;
using FluentValidation;
using LowCodeTokens.Engine;
using LowCodeTokens.Host.Auth;
using LowCodeTokens.Host.Contracts;
using LowCodeTokens.Host.OpenApi;
using LowCodeTokens.Host.Problems;
using LowCodeTokens.Host.Tracing;
using LowCodeTokens.Host.RateLimiting;
using LowCodeTokens.Host.SignIn;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Host;

public static class HostServiceCollectionExtensions
{
    /// <summary>
    /// The HTTP layer: API keys, per-key rate limits, problem details, validation, OpenAPI, health checks. Registers no engine services:
    /// <c>IAppCatalog</c>, <c>IPageRuntime</c>, <c>IDefinitionRepository</c> and <see cref="IStoreAdminView"/> come from the engine.
    /// </summary>
    public static IServiceCollection AddLowCodeHost(this IServiceCollection services, IConfiguration configuration)
    {
        // Before anything logs: no provider ever receives a key from a URL (?key= of the viewer's sign-in link).
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory, Logging.KeyRedactingLoggerFactory>());
        services.AddOptions<LowCodeHostOptions>().Bind(configuration.GetSection(LowCodeEngineOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LowCodeHostOptions>, RateLimitOptionsValidator>());
        services.AddKeyRateLimits();
        // Only DataDir (for admin.key), so that binding here cannot double-bind the engine's own options.
        services.AddOptions<LowCodeEngineOptions>().Configure(o =>
        {
            if (configuration[$"{LowCodeEngineOptions.Section}:{nameof(LowCodeEngineOptions.DataDir)}"] is { Length: > 0 } dataDir)
                o.DataDir = dataDir;
        });

        services.TryAddSingleton<AdminKeyProvider>();
        services.TryAddSingleton<IStoreAdminView, Store.StoreAdminView>();
        services.AddDataProtection(); // the engine configures its key ring; the viewer signs its cookies with it
        services.TryAddSingleton<Viewer.ViewerTickets>();
        services.AddAntiforgery(o =>
        {
            // The viewer's sign-in form (login CSRF): its token cookie goes back to this host only. X-Frame-Options is
            // DENY on every response (SecurityHeadersMiddleware), not antiforgery's SAMEORIGIN.
            o.Cookie.Name = "lct_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddHostedService<AdminKeyStartup>();
        services.AddLowCodeSignIn(); // end users of apps with signIn (SignIn/)
        // Not TryAdd: the web host has registered the default one, which continues a caller's trace (Tracing/).
        services.AddSingleton<DistributedContextPropagator>(new LocalTraceContextPropagator());

        services.AddProblemDetails();
        services.AddExceptionHandler<LowCodeExceptionHandler>();
        // Body binding failures throw, so that LowCodeExceptionHandler can name the JSON path and position.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.TryAddSingleton<IValidator<LoadPageRequest>, LoadPageRequestValidator>();
        services.TryAddSingleton<IValidator<RunActionRequest>, RunActionRequestValidator>();
        services.TryAddSingleton<IValidator<StoreViewQuery>, StoreViewQueryValidator>();

        services.AddOpenApi(o => o.AddApiKeySecurity());
        services.AddHealthChecks();
        return services;
    }
}
