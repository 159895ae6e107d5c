using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Engine.Scripting.Node;
using LowCodeTokens.Engine.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LowCodeTokens.Engine;

public static class LowCodeEngineServiceCollectionExtensions
{
    /// <summary>Registers the engine: script host, store, queries, catalog and page runtime. Options bind from <c>LowCodeTokens</c>.</summary>
    public static IServiceCollection AddLowCodeEngine(this IServiceCollection services, IConfiguration? configuration = null, Action<LowCodeEngineOptions>? configure = null)
    {
        var options = services.AddOptions<LowCodeEngineOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(LowCodeEngineOptions.Section));
        if (configure is not null) options.Configure(configure);

        services.TryAddSingleton(TimeProvider.System);
        services.AddLowCodeStorage();
        services.AddLowCodeQueries();
        services.TryAddSingleton<NodeScriptHost>();
        services.TryAddSingleton<IScriptHost>(sp => sp.GetRequiredService<NodeScriptHost>());
        services.TryAddSingleton<SessionManager>();
        services.TryAddSingleton<AppCompiler>();
        services.TryAddSingleton<IAppCatalog, AppCatalog>();
        services.TryAddSingleton<PageRuntime>();
        services.TryAddSingleton<IPageRuntime>(sp => sp.GetRequiredService<PageRuntime>());
        services.TryAddSingleton<IScriptCallbackHandler>(sp => sp.GetRequiredService<PageRuntime>());
        return services;
    }
}
