using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Company.Service1.Platform.Database;

/// <summary>Not ready while the database schema is behind the migrations this binary was built with.</summary>
public sealed class SchemaHealthCheck(Migrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = await migrator.CurrentVersionAsync(cancellationToken);
        var expected = Migration.LatestVersion;
        return current >= expected
            ? HealthCheckResult.Healthy($"schema at version {current}")
            : HealthCheckResult.Unhealthy($"schema at version {current}, this release needs {expected}: run 'Company.Service1 migrate'");
    }
}
