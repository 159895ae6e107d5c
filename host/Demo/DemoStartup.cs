using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;

namespace LowCodeTokens.Host.Demo;

/// <summary>
/// In Development: serves the demo token server and users API on loopback, publishes the shipped Auth module and
/// imports the demo app, so that a newcomer's first page load returns users through a token the module obtained.
/// </summary>
internal sealed partial class DemoStartup(IAppCatalog catalog, ILogger<DemoStartup> logger) : IHostedService, IAsyncDisposable
{
    private DemoEndpoints? _servers;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var root = AppContext.BaseDirectory;
        var moduleJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "modules", "auth", "module.json"), cancellationToken))!.AsObject();
        moduleJson["code"] = await File.ReadAllTextAsync(Path.Combine(root, "modules", "auth", "main.js"), cancellationToken);
        var name = moduleJson["name"]!.GetValue<string>();
        var version = moduleJson["version"]!.GetValue<string>();
        var published = await catalog.PublishModuleAsync(name, version, moduleJson.ToJsonString(), cancellationToken);
        if (published.Failure is not (Engine.Definitions.DefinitionFailure.None or Engine.Definitions.DefinitionFailure.Conflict))
            throw new InvalidOperationException($"The shipped module {name}@{version} does not publish: {published.Problems.FirstOrDefault()?.Message}");

        _servers = await DemoServers.StartAsync(cancellationToken);
        var appJson = _servers.Apply(await File.ReadAllTextAsync(Path.Combine(root, "demo", "app.json"), cancellationToken));
        var imported = await catalog.ImportAppAsync("crm", appJson, cancellationToken);
        if (!imported.WasSuccessful(out _, out var problems))
            throw new InvalidOperationException($"The demo app does not import: {problems.FirstOrDefault()}");
        LogDemo(logger, _servers.TokenUrl, _servers.ApiBaseUrl);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_servers is not null) await _servers.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo ready: app 'crm' (page 'Home') with a token server at {TokenUrl} and a users API at {ApiUrl}")]
    private static partial void LogDemo(ILogger logger, string tokenUrl, string apiUrl);
}
