using FluentValidation;
using LowCodeTokens.Engine;
using LowCodeTokens.Host.Auth;
using LowCodeTokens.Host.Contracts;
using LowCodeTokens.Host.OpenApi;
using LowCodeTokens.Host.Problems;
using LowCodeTokens.Host.RateLimiting;
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
        services.AddHostedService<AdminKeyStartup>();

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
