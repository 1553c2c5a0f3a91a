using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Company.Service1.Platform.Health;

public static class HealthEndpoints
{
    public const string LivenessPath = "/livez";
    public const string ReadinessPath = "/readyz";
    public const string ReportPath = "/healthz";

    /// <summary>The readiness check that fails once the instance drains.</summary>
    public const string DrainCheck = "drain";

    public static WebApplicationBuilder AddHealthProbes(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReadinessReporter>();
        builder.Services.AddHealthChecks()
            .AddCheck<StartupHealthCheck>("startup", tags: [HealthTags.Ready]);

        return builder;
    }

    public static IEndpointRouteBuilder MapHealthProbes(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        // Liveness runs no checks: it answers as long as the process can serve HTTP. A database outage
        // or a drain must never make Kubernetes restart the pod.
        routes.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        routes.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(HealthTags.Ready),
            ResponseWriter = routes.ServiceProvider.GetRequiredService<ReadinessReporter>().WriteAsync,
        });
        routes.MapHealthChecks(ReportPath, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        return routes;
    }

    /// <summary>True for the probe endpoints, which are never rate limited, traced or counted as traffic.</summary>
    public static bool IsProbe(PathString path) =>
        path.Equals(LivenessPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(ReadinessPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(ReportPath, StringComparison.OrdinalIgnoreCase);
}
