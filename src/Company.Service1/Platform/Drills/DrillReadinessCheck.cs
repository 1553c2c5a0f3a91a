using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Company.Service1.Platform.Drills;

/// <summary>Reports unready while a drill has switched readiness off (<c>POST /readyz/disable</c>).</summary>
public sealed class DrillReadinessCheck(DrillState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.ReadinessDisabled
            ? HealthCheckResult.Unhealthy("readiness disabled by drill")
            : HealthCheckResult.Healthy("no drill active"));
}
