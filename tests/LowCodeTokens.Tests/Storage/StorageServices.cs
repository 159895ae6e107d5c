using LowCodeTokens.Engine;
using LowCodeTokens.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Storage;

/// <summary>Builds a real container with the storage registrations, as the host does.</summary>
internal static class StorageServices
{
    public static ServiceProvider Build(Action<LowCodeEngineOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure(configure);
        services.AddLowCodeStorage();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
