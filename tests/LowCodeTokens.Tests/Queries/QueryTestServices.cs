using LowCodeTokens.Engine;
using LowCodeTokens.Engine.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Queries;

/// <summary>The real query registration in a real container; tests add fakes before it (TryAdd keeps them).</summary>
internal static class QueryTestServices
{
    public static ServiceProvider Create(Action<IServiceCollection>? configure = null, Action<LowCodeEngineOptions>? options = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<LowCodeEngineOptions>(o =>
        {
            // The tests' upstreams listen on 127.0.0.1, which queries may reach only when the operator allows it.
            o.Queries.AllowLoopback = true;
            options?.Invoke(o);
        });
        configure?.Invoke(services);
        services.AddLowCodeQueries();
        return services.BuildServiceProvider();
    }

    public static IQueryExecutor Executor(this ServiceProvider services) => services.GetRequiredService<IQueryExecutor>();
}
