using LowCodeTokens.Engine.Queries;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Scripting;
using LowCodeTokens.Engine.Scripting.Globals;
using LowCodeTokens.Engine.Scripting.Jint;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Engine.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LowCodeTokens.Engine;

public static class LowCodeEngineServiceCollectionExtensions
{
    /// <summary>Registers the engine: script engine, store, queries, catalog and page runtime. Options bind from <c>LowCodeTokens</c>.</summary>
    public static IServiceCollection AddLowCodeEngine(this IServiceCollection services, IConfiguration? configuration = null, Action<LowCodeEngineOptions>? configure = null)
    {
        var options = services.AddOptions<LowCodeEngineOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(LowCodeEngineOptions.Section));
        if (configure is not null) options.Configure(configure);

        services.TryAddSingleton(TimeProvider.System);
        services.AddLowCodeStorage();
        services.AddLowCodeQueries();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LowCodeEngineOptions>, ScriptingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LowCodeEngineOptions>, RuntimeOptionsValidator>());
        services.TryAddSingleton<IScriptEngine, JintScriptEngine>();
        // First among hosted services, so that it runs while the others (keys, demo) start.
        services.AddHostedService<ScriptWarmUp>();
        // Script globals, installed in this order into every engine (the sandbox first, before anything else exists).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptGlobalProvider, SandboxGlobals>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptGlobalProvider, StoreGlobals>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptGlobalProvider, ConsoleGlobals>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptGlobalProvider, Base64Globals>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptGlobalProvider, JwtGlobals>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptGlobalProvider, TokensGlobals>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptGlobalProvider, TimerGlobals>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptGlobalProvider, QueryGlobals>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScriptGlobalProvider, ModuleCallGlobals>());
        services.AddLowCodeTokenEvents();
        services.TryAddSingleton<SessionManager>();
        services.TryAddSingleton<AppCompiler>();
        services.TryAddSingleton<IAppCatalog, AppCatalog>();
        services.TryAddSingleton(sp => new DefinitionFolderLoader(sp.GetRequiredService<IDefinitionRepository>(), sp.GetRequiredService<IAppCatalog>()));
        services.TryAddSingleton<PageRuntime>();
        services.TryAddSingleton<IPageRuntime>(sp => sp.GetRequiredService<PageRuntime>());
        services.TryAddSingleton<IScopedRuntime>(sp => sp.GetRequiredService<PageRuntime>());
        return services;
    }
}
