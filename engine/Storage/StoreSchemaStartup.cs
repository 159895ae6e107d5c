using Microsoft.Extensions.Hosting;

namespace LowCodeTokens.Engine.Storage;

/// <summary>Creates the schema while the host starts, so a wrong connection string fails start-up rather than the first request.</summary>
internal sealed class StoreSchemaStartup(IStoreSchema schema) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => schema.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
