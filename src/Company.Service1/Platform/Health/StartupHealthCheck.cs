using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Company.Service1.Platform.Health;

/// <summary>Not ready until the host has finished starting (every hosted service started, pipeline built).</summary>
public sealed class StartupHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy("started")
            : HealthCheckResult.Unhealthy("still starting"));
}
