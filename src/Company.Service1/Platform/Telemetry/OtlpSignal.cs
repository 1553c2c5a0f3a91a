using System.Globalization;
using OpenTelemetry.Exporter;

namespace Company.Service1.Platform.Telemetry;

/// <summary>
/// Where and how one signal (traces or logs) is exported over OTLP, from the standard variables as the OpenTelemetry
/// specification reads them: the signal's own <c>OTEL_EXPORTER_OTLP_{SIGNAL}_*</c> before the shared
/// <c>OTEL_EXPORTER_OTLP_*</c>. The signal's own endpoint is used as it is; only the shared one gets the
/// <c>/v1/{signal}</c> path appended over http/protobuf.
/// </summary>
/// <remarks>
/// Neither exporter reads the signal's own variables: OpenTelemetry's <c>AddOtlpExporter</c> reads only the shared
/// ones (the SDK honours the others only in <c>UseOtlpExporter</c>, which also sets up logging and metrics pipelines
/// of its own), and so does Serilog.Sinks.OpenTelemetry. Without this, <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>
/// alone turned export on towards the default <c>localhost:4317</c>. Read once at startup, so a bad value stops the
/// process with one line naming the variable (never its value: endpoints and headers can carry credentials).
/// </remarks>
public sealed class OtlpSignal
{
    private const string Prefix = "OTEL_EXPORTER_OTLP_";

    private readonly IConfiguration _configuration;
    private readonly string _signal;

    private OtlpSignal(IConfiguration configuration, string signal)
    {
        _configuration = configuration;
        _signal = signal;
        OwnEndpoint = Own("ENDPOINT") is { } endpoint ? ParseEndpoint(endpoint, $"{Prefix}{signal}_ENDPOINT") : null;
        SharedEndpoint = Value($"{Prefix}ENDPOINT") is { } shared ? ParseEndpoint(shared, $"{Prefix}ENDPOINT") : null;
        OwnProtocol = Own("PROTOCOL") switch
        {
            null => null,
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new ConfigurationException($"{Prefix}{signal}_PROTOCOL must be grpc or http/protobuf."),
        };
        OwnTimeoutMilliseconds = Own("TIMEOUT") switch
        {
            null => null,
            var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0 => milliseconds,
            _ => throw new ConfigurationException($"{Prefix}{signal}_TIMEOUT must be a positive number of milliseconds."),
        };
    }

    /// <summary>The signal's own endpoint (<c>OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT</c>), the full URL; null when unset.</summary>
    public Uri? OwnEndpoint { get; }

    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, the base URL every signal shares; null when unset.</summary>
    public Uri? SharedEndpoint { get; }

    /// <summary>Export is on when the signal's own endpoint or the shared one is set; off (nothing sent anywhere) otherwise.</summary>
    public bool IsEnabled => OwnEndpoint is not null || SharedEndpoint is not null;

    private OtlpExportProtocol? OwnProtocol { get; }

    private int? OwnTimeoutMilliseconds { get; }

    public static OtlpSignal Traces(IConfiguration configuration) => new(configuration, "TRACES");

    public static OtlpSignal Logs(IConfiguration configuration) => new(configuration, "LOGS");

    /// <summary>
    /// A standard variable for this signal, as an exporter that knows only the shared names asks for it:
    /// <c>OTEL_EXPORTER_OTLP_X</c> answers with <c>OTEL_EXPORTER_OTLP_{SIGNAL}_X</c> when that is set. The endpoint is
    /// the exception: the shared one answers as itself, because the signal's own is a full URL, used as it is
    /// (<see cref="OwnEndpoint"/>), not a base to append a path to.
    /// </summary>
    public string? Setting(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith(Prefix, StringComparison.Ordinal) && name != $"{Prefix}ENDPOINT"
            && Value(string.Concat(Prefix, _signal, "_", name.AsSpan(Prefix.Length))) is { } own)
        {
            return own;
        }

        return Value(name);
    }

    /// <summary>
    /// Applies the signal's own variables over what the SDK read from the shared ones. Setting the endpoint also stops
    /// the SDK from appending <c>/v1/traces</c> to it, as the specification asks for a signal's own endpoint.
    /// </summary>
    public void Configure(OtlpExporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (OwnProtocol is { } protocol)
        {
            options.Protocol = protocol;
        }

        if (OwnEndpoint is { } endpoint)
        {
            options.Endpoint = endpoint;
        }

        if (Own("HEADERS") is { } headers)
        {
            options.Headers = headers;
        }

        if (OwnTimeoutMilliseconds is { } timeout)
        {
            options.TimeoutMilliseconds = timeout;
        }
    }

    private string? Own(string name) => Value(string.Concat(Prefix, _signal, "_", name));

    private string? Value(string name) => _configuration[name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static Uri ParseEndpoint(string value, string variable) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ConfigurationException($"{variable} must be an absolute http or https URL.");
}
