using Prometheus;

namespace Company.Service1.Platform.Metrics;

public static class MetricsExtensions
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddServiceMetrics(this WebApplicationBuilder builder)
    {
        // prometheus-net's event-counter listener duplicates the System.Runtime meter at a steady CPU cost.
        Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
        {
            SuppressEventCounters = true,
            SuppressDebugMetrics = true,
            SuppressMeters = true,
            SuppressProcessMetrics = true,
        });
        builder.Services.AddSingleton<ServiceMetrics>();
        builder.Services.AddSingleton<HttpMetrics>();
        return builder;
    }

    /// <summary>
    /// Serves <c>/metrics</c> on the management port and nothing else there (404), before any other middleware, so
    /// scrapes are never logged, traced, rate limited or counted as traffic. When the management port is also the
    /// application port, <c>/metrics</c> is answered on it instead.
    /// </summary>
    public static WebApplication UseManagementEndpoint(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        var management = app.Services.GetRequiredService<ManagementPort>();
        if (management.IsSeparate)
        {
            app.MapWhen(management.Accepts, branch =>
            {
                branch.UseMetricServer(settings => settings.Registry = metrics.Registry, MetricsPath);
                branch.Run(context =>
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                });
            });
        }
        else
        {
            app.UseMetricServer(settings => settings.Registry = metrics.Registry, MetricsPath);
        }

        return app;
    }
}
