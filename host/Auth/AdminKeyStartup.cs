namespace LowCodeTokens.Host.Auth;

/// <summary>Resolves the admin key at start-up: prints a generated one, and fails start-up when none is configured outside Development.</summary>
internal sealed class AdminKeyStartup(AdminKeyProvider adminKey) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        adminKey.EnsureLoaded();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
