using System.Net;
using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Telemetry;
using LowCodeTokens.Engine.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LowCodeTokens.Engine.Tokens;

internal static class TokenEventsServiceCollectionExtensions
{
    /// <summary>Metrics, the lifecycle event log and webhooks (registry, delivery worker and its guarded client).</summary>
    public static IServiceCollection AddLowCodeTokenEvents(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<LowCodeEngineOptions>, TokenEventOptionsValidator>());
        services.TryAddSingleton<EngineMetrics>();
        services.TryAddSingleton<TokenEventLog>();
        services.TryAddSingleton<ITokenEventLog>(sp => sp.GetRequiredService<TokenEventLog>());
        services.TryAddSingleton<WebhookRegistry>();
        services.TryAddSingleton<IWebhookRegistry>(sp => sp.GetRequiredService<WebhookRegistry>());
        services.TryAddSingleton<WebhookDispatcher>();
        services.TryAddSingleton<IWebhookQueue>(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        // Webhook URLs obey the query address policy at every connect, like queries (no redirects, no proxy, no cookies).
        QueriesServiceCollectionExtensions.AddGuardedHttpClient(services, WebhookDispatcher.HttpClientName, DecompressionMethods.None);
        return services;
    }
}
