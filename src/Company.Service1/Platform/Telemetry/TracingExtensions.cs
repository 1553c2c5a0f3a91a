using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Company.Service1.Platform.Telemetry;

public static class TracingExtensions
{
    private const string AspNetCoreActivitySource = "Microsoft.AspNetCore";
    private const string AspNetCoreTagsSwitch = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    /// <summary>
    /// OpenTelemetry tracing for incoming requests, outgoing HttpClient calls (and PostgreSQL commands, added by the database module), with W3C
    /// trace context in and out. Spans are exported over OTLP only when an endpoint is configured
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>; protocol, headers and timeout
    /// from the other standard <c>OTEL_EXPORTER_OTLP_*</c> variables).
    /// </summary>
    public static WebApplicationBuilder AddServiceTracing(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // The server span is ASP.NET Core's own request activity, with the start tags ASP.NET Core 10 adds when asked
        // (11 does by default) and the end tags from ServerSpan: the span OpenTelemetry's ASP.NET Core instrumentation
        // produces, without its DiagnosticListener callbacks on every request. The switch is read when the server starts.
        AppContext.SetSwitch(AspNetCoreTagsSwitch, false);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => TelemetryResource.Configure(resource, configuration, builder.Environment.EnvironmentName, BuildInfo.Stamped.Version))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(services => new RequestSampler(services.GetRequiredService<IOptions<TelemetryOptions>>().Value.SamplingRatio));
                tracing.AddSource(AspNetCoreActivitySource);
                tracing.AddHttpClientInstrumentation();
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
