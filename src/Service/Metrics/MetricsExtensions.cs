using Prometheus;
using Service.Health;
using Service.Hosting;

namespace Service.Metrics;

public static class MetricsExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Latency buckets in seconds. The SLO thresholds in the alert rules and dashboards (0.25 s, 0.5 s) must stay
    /// bucket bounds, or their ratios become interpolations.
    /// </summary>
    internal static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

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

    /// <summary>
    /// RED metrics per route template (the <c>endpoint</c> label is the route pattern, never the raw path, so label
    /// cardinality stays bounded) plus requests in progress. Probes are left out: they would drown the real traffic;
    /// readiness answers are recorded as <c>service_ready</c> and <c>service_readiness_changes_total</c> instead
    /// (by <see cref="ReadinessReporter"/>, which sees every readiness result).
    /// </summary>
    public static WebApplication UseServiceHttpMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        var factory = metrics.Factory;
        string[] labels = ["code", "method", "endpoint"];
        app.UseWhen(context => !HealthEndpoints.IsProbe(context.Request.Path), branch => branch.UseHttpMetrics(options =>
        {
            options.RequestDuration.Histogram = factory.CreateHistogram("http_request_duration_seconds",
                "Duration of HTTP requests by status code, method and route template.",
                labels, new HistogramConfiguration
                {
                    Buckets = DurationBuckets,
                    // An exemplar (trace id) per series at most every 10 s is plenty to jump from a
                    // latency spike to a trace, and keeps the per-request cost of exemplars near zero.
                    ExemplarBehavior = new ExemplarBehavior
                    {
                        DefaultExemplarProvider = (_, _) => Exemplar.FromTraceContext(),
                        NewExemplarMinInterval = TimeSpan.FromSeconds(10),
                    },
                });
            options.RequestCount.Enabled = false;
            // One series per instance: saturation is about how many, and per-route labels would cost a lookup twice
            // per request.
            options.InProgress.Gauge = factory.CreateGauge("http_requests_in_progress", "HTTP requests being served right now.");
        }));
        return app;
    }
}
