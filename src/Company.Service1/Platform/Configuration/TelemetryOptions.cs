using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>
/// Tracing and OTLP settings that the standard <c>OTEL_*</c> variables do not cover. The exporter itself (endpoint,
/// protocol, headers, resource attributes) is configured by the standard variables, read by the OpenTelemetry SDK.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// Fraction (0..1) of new traces recorded when the caller sent no sampling decision. A caller's decision in
    /// <c>traceparent</c> is always followed (parent-based), so one trace is never half recorded.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SamplingRatio { get; set; } = 1.0;

    /// <summary>Also send log events over OTLP (to the same collector as traces), besides stdout.</summary>
    public bool ExportLogs { get; set; }
}

[OptionsValidator]
public sealed partial class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>;
