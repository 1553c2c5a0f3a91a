using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Company.Service1.Platform.Health;

/// <summary>Not ready once the instance is draining, so traffic moves away before the listener closes.</summary>
public sealed class DrainHealthCheck(DrainState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining
            ? HealthCheckResult.Unhealthy("draining: shutdown in progress")
            : HealthCheckResult.Healthy("serving"));
}
