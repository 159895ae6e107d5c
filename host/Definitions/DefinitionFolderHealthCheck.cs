using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LowCodeTokens.Host.Definitions;

/// <summary>
/// <c>/healthz</c> says <c>degraded</c> while the definitions folder's last load was refused: the host serves, but not what
/// the folder says (the problems are in the log).
/// </summary>
internal sealed class DefinitionFolderHealthCheck(DefinitionFolderService folder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(folder.LastResult is { Succeeded: false } result
            ? HealthCheckResult.Degraded($"the definitions folder was not applied: {result.Problems.Count} problem(s), see the log")
            : HealthCheckResult.Healthy());
}
