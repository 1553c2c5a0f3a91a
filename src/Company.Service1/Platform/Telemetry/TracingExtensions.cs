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
    /// (<c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; protocol, headers and timeout
    /// from the other standard variables, the traces' own before the shared ones: see <see cref="OtlpSignal"/>).
    /// </summary>
    public static WebApplicationBuilder AddServiceTracing(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = OtlpSignal.Traces(configuration);
        var export = new OtlpSpanExport();
        builder.Services.AddSingleton(export);
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
                if (otlp.IsEnabled)
                {
                    tracing.AddProcessor(export.CreateProcessor(otlp));
                }
            });
        return builder;
    }
}
