using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LowCodeTokens.Engine.Runtime;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LowCodeTokens.Host.Demo;

/// <summary>
/// In Development: serves the demo token server and users API on loopback, publishes the shipped Auth module and
/// imports the demo app, so that a newcomer's first page load returns users through a token the module obtained. Also
/// starts the demo identity provider (<see cref="DemoIdentityProvider"/>) and imports <c>portal</c> (<c>demo/portal.json</c>),
/// whose viewer signs users in there; its client is registered once the host knows the address it listens on.
/// </summary>
internal sealed partial class DemoStartup(IAppCatalog catalog, IServer server, ILogger<DemoStartup> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private DemoEndpoints? _servers;
    private DemoIdentityProvider? _identityProvider;
    private readonly string _portalSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

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

        _identityProvider = await DemoIdentityProvider.StartAsync(cancellationToken: cancellationToken);
        var portalJson = _identityProvider.Apply(await File.ReadAllTextAsync(Path.Combine(root, "demo", "portal.json"), cancellationToken), _portalSecret);
        var portal = await catalog.ImportAppAsync("portal", portalJson, cancellationToken);
        if (!portal.WasSuccessful(out _, out var portalProblems))
            throw new InvalidOperationException($"The demo app portal does not import: {portalProblems.FirstOrDefault()}");
    }

    /// <summary>After the server started: its addresses are known, so the provider can accept the app's redirect URIs.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_identityProvider is null) return;
        var bases = (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Select(a => new Uri(a.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost")))
            .SelectMany(u => new[] { $"{u.Scheme}://127.0.0.1:{u.Port}", $"{u.Scheme}://localhost:{u.Port}", u.GetLeftPart(UriPartial.Authority) })
            .Distinct().ToList();
        await _identityProvider.RegisterClientAsync("portal", _portalSecret,
            bases.Select(b => b + "/apps/portal/signin-oidc"), bases.Select(b => b + "/apps/portal/signout-oidc"), cancellationToken);
        LogSignInDemo(logger, _identityProvider.Authority, bases.FirstOrDefault() ?? "");
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo ready: app 'crm' (page 'Home') with a token server at {TokenUrl} and a users API at {ApiUrl}")]
    private static partial void LogDemo(ILogger logger, string tokenUrl, string apiUrl);
}
