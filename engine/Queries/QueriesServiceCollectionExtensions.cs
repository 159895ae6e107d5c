using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LowCodeTokens.Engine.Queries;

internal static class QueriesServiceCollectionExtensions
{
    public const string HttpClientName = "LowCodeTokens.Queries";

    /// <summary>Registers <see cref="IQueryExecutor"/> and its guarded named client. Options come from <c>IOptions&lt;LowCodeEngineOptions&gt;</c>.</summary>
    public static IServiceCollection AddLowCodeQueries(this IServiceCollection services)
    {
        services.AddOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostAddressResolver, DnsHostAddressResolver>();
        services.TryAddSingleton<QueryConnector>();
        services.TryAddSingleton<IQueryExecutor, HttpQueryExecutor>();

        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan) // the executor enforces per-query timeouts
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,   // followed by the executor, hop by hop, against allowed hosts
                UseProxy = false,            // a proxy would make the connect callback judge the proxy, not the target
                UseCookies = false,          // queries are stateless; a shared cookie jar would leak between sessions and apps
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = sp.GetRequiredService<QueryConnector>().ConnectAsync,
            })
            // The default logging handlers would log full URLs; query strings may carry secrets. QueryLog logs hosts only.
            .RemoveAllLoggers();
        return services;
    }
}
