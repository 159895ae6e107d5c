using LowCodeTokens.Host.Definitions;

namespace LowCodeTokens.Host.Demo;

/// <summary>
/// In Development: serves the demo token server and users API on loopback and hands their URLs to the definitions folder
/// (<c>${DEMO_TOKEN_URL}</c>, …), which then publishes the shipped Auth module and imports the demo app, so that a
/// newcomer's first page load returns users through a token the module obtained.
/// </summary>
internal sealed partial class DemoStartup(DefinitionVariables variables, ILogger<DemoStartup> logger) : IHostedService, IAsyncDisposable
{
    private DemoEndpoints? _servers;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _servers = await DemoServers.StartAsync(cancellationToken);
        foreach (var (name, value) in _servers.Variables)
            variables.Set(name, value);
        LogDemo(logger, _servers.TokenUrl, _servers.ApiBaseUrl);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_servers is not null) await _servers.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo ready: app 'crm' (page 'Home') from the definitions folder, with a token server at {TokenUrl} and a users API at {ApiUrl}")]
    private static partial void LogDemo(ILogger logger, string tokenUrl, string apiUrl);
}
