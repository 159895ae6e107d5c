using LowCodeTokens.Engine.Definitions.Folders;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LowCodeTokens.Host.Definitions;

public static class DefinitionFolderServiceCollectionExtensions
{
    /// <summary>
    /// The definitions folder (<c>LowCodeTokens:Definitions</c>), applied at start-up. Register after the hosted services
    /// that supply <see cref="DefinitionVariables"/> (the demo): hosted services start in registration order.
    /// </summary>
    public static IServiceCollection AddDefinitionsFolder(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DefinitionFolderOptions>().Bind(configuration.GetSection(DefinitionFolderOptions.Section));
        services.TryAddSingleton<DefinitionVariables>();
        services.TryAddSingleton<DefinitionFolderService>();
        services.AddHostedService(sp => sp.GetRequiredService<DefinitionFolderService>());
        services.AddHealthChecks().AddCheck<DefinitionFolderHealthCheck>("definitions");
        return services;
    }
}
