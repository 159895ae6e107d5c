using System.Security.Cryptography;
using LowCodeTokens.Host.Definitions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LowCodeTokens.Host.Demo;

/// <summary>
/// In Development: serves the demo token server and users API and the demo identity provider
/// (<see cref="DemoIdentityProvider"/>) on loopback, and hands their URLs to the definitions folder (<c>${DEMO_TOKEN_URL}</c>,
/// <c>${IDP_AUTHORITY}</c>, …), which then publishes the shipped Auth module and imports the demo apps: <c>crm</c>, whose first
/// page load returns users through a token the module obtained, and <c>portal</c>, whose viewer signs users in at the provider.
/// The provider learns the portal's redirect URIs once the host knows the address it listens on.
/// </summary>
internal sealed partial class DemoStartup(DefinitionVariables variables, IServer server, ILogger<DemoStartup> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private DemoEndpoints? _servers;
    private DemoIdentityProvider? _identityProvider;
    private readonly string _portalSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var identityProvider = DemoIdentityProvider.StartAsync(cancellationToken: cancellationToken);
        _servers = await DemoServers.StartAsync(cancellationToken);
        _identityProvider = await identityProvider;
        foreach (var (name, value) in _servers.Variables.Concat(_identityProvider.Variables(_portalSecret)))
            variables.Set(name, value);
        LogDemo(logger, _servers.TokenUrl, _servers.ApiBaseUrl);
    }

    /// <summary>After the server started: its addresses are known, so the provider can accept the app's redirect URIs.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_identityProvider is null) return Task.CompletedTask;
        var bases = (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Select(a => new Uri(a.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost")))
            .SelectMany(u => new[] { $"{u.Scheme}://127.0.0.1:{u.Port}", $"{u.Scheme}://localhost:{u.Port}", u.GetLeftPart(UriPartial.Authority) })
            .Distinct().ToList();
        _identityProvider.RegisterClientOnFirstRequest("portal", _portalSecret,
            bases.Select(b => b + "/apps/portal/signin-oidc"), bases.Select(b => b + "/apps/portal/signout-oidc"));
        LogSignInDemo(logger, _identityProvider.Authority, bases.FirstOrDefault() ?? "");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_servers is not null) await _servers.DisposeAsync();
        if (_identityProvider is not null) await _identityProvider.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo sign-in ready: app 'portal' signs users in at {Authority} (alice/alice, bob/bob); open {Host}/apps/portal/pages/Home")]
    private static partial void LogSignInDemo(ILogger logger, string authority, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo ready: apps 'crm' and 'portal' from the definitions folder, with a token server at {TokenUrl} and a users API at {ApiUrl}")]
    private static partial void LogDemo(ILogger logger, string tokenUrl, string apiUrl);
}
