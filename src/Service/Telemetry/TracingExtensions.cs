using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Service.Configuration;
using Service.Health;
using Service.Version;

namespace Service.Telemetry;

public static class TracingExtensions
{
    /// <summary>
    /// OpenTelemetry tracing for incoming requests, outgoing HttpClient calls and PostgreSQL commands, with W3C
    /// trace context in and out. Spans are exported over OTLP only when an endpoint is configured
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>; protocol, headers and timeout
    /// from the other standard <c>OTEL_EXPORTER_OTLP_*</c> variables).
    /// </summary>
    public static WebApplicationBuilder AddServiceTracing(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var ratio = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.SamplingRatio ?? new TelemetryOptions().SamplingRatio;
        var version = BuildInfo.From(typeof(TracingExtensions).Assembly, new ServiceOptions()).Version;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => TelemetryResource.Configure(resource, configuration, builder.Environment.EnvironmentName, version))
            .WithTracing(tracing =>
            {
                // Parent-based: a caller's sampling decision is followed, so a trace is recorded whole or not at all.
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(ratio, 0, 1))));
                tracing.AddAspNetCoreInstrumentation(options =>
                {
                    // Probes and scrapes arrive every few seconds and say nothing about user traffic.
                    options.Filter = context => !HealthEndpoints.IsProbe(context.Request.Path)
                        && !context.Request.Path.StartsWithSegments(Metrics.MetricsExtensions.MetricsPath, StringComparison.OrdinalIgnoreCase);
                });
                tracing.AddHttpClientInstrumentation();
                tracing.AddNpgsql();
                if (HasOtlpEndpoint(configuration, "TRACES"))
                {
                    tracing.AddOtlpExporter();
                }
            });
        return builder;
    }

    internal static bool HasOtlpEndpoint(IConfiguration configuration, string signal) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        || !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);
}
