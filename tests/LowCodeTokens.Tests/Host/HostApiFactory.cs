using LowCodeTokens.Engine;
using LowCodeTokens.Engine.Runtime;
using LowCodeTokens.Engine.Storage;
using LowCodeTokens.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LowCodeTokens.Tests.Host;

/// <summary>The real host (Program) with hand-written fakes in place of the engine services.</summary>
internal sealed class HostApiFactory(string? adminKey = HostApiFactory.DefaultAdminKey, string? dataDir = null, string environment = "Development")
    : WebApplicationFactory<Program>
{
    public const string DefaultAdminKey = "test-admin-key-0123456789";

    public FakeDefinitionRepository Repository { get; } = new();
    public FakeAppCatalog Catalog => _catalog ??= new FakeAppCatalog(Repository);
    public FakePageRuntime Runtime => _runtime ??= new FakePageRuntime(Repository);
    public FakeStoreAdminView StoreView { get; } = new();

    private FakeAppCatalog? _catalog;
    private FakePageRuntime? _runtime;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("LowCodeTokens:AdminKey", adminKey ?? "");
        builder.UseSetting("LowCodeTokens:Demo", "false");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IDefinitionRepository>(Repository);
            services.AddSingleton<IAppCatalog>(Catalog);
            services.AddSingleton<IPageRuntime>(Runtime);
            services.AddSingleton<IStoreAdminView>(StoreView);
            if (dataDir is not null)
                services.Configure<LowCodeEngineOptions>(o => o.DataDir = dataDir);
        });
    }
}
