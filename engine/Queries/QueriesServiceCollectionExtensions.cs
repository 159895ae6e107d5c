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

        AddGuardedHttpClient(services, HttpClientName, DecompressionMethods.All);
        return services;
    }

    /// <summary>
    /// An HTTP client whose every connection passes the query address policy (<see cref="QueryConnector"/>): for queries and for
    /// anything else the engine sends to an address an app or an admin named (webhooks).
    /// </summary>
    internal static void AddGuardedHttpClient(IServiceCollection services, string name, DecompressionMethods decompression) =>
        services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan) // callers enforce their own timeouts
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,   // a caller that follows redirects does it hop by hop, against allowed hosts
                UseProxy = false,            // a proxy would make the connect callback judge the proxy, not the target
                UseCookies = false,          // stateless; a shared cookie jar would leak between sessions and apps
                AutomaticDecompression = decompression,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = sp.GetRequiredService<QueryConnector>().ConnectAsync,
            })
            // The default logging handlers would log full URLs; query strings may carry secrets. QueryLog logs hosts only.
            .RemoveAllLoggers();
}
