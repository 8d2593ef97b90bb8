using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOpsBot.Health;

/// <summary>Healthy whenever the process can run a request; readiness checks of dependencies join the ready tag.</summary>
internal sealed class SelfHealthCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy());
}
