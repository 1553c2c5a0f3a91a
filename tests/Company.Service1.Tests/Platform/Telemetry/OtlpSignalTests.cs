using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Company.Service1.Tests.Platform.Telemetry;

/// <summary>
/// How the standard OTLP variables are read for one signal: its own before the shared ones, its own endpoint used as
/// it is. The export itself is tested against a real receiver in tests/Observability.Tests/Otlp.
/// </summary>
public sealed class OtlpSignalTests
{
    [Fact]
    public void Nothing_configured_is_export_off()
    {
        Assert.False(OtlpSignal.Traces(Configuration([])).IsEnabled);
        Assert.False(OtlpSignal.Logs(Configuration([("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4317")])).IsEnabled);
    }

    [Fact]
    public void The_signals_own_endpoint_alone_turns_its_export_on_and_is_used_as_it_is()
    {
        var signal = OtlpSignal.Traces(Configuration([("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom/traces"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")]));
        var options = new OtlpExporterOptions();

        signal.Configure(options);

        Assert.True(signal.IsEnabled);
        Assert.Equal(new Uri("http://collector:4318/custom/traces"), options.Endpoint);
    }

    [Fact]
    public void The_signals_own_protocol_headers_and_timeout_win_over_the_shared_ones()
    {
        var configuration = Configuration([("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/protobuf"), ("OTEL_EXPORTER_OTLP_HEADERS", "x-shared=1"),
            ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-traces=1"), ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "2500")]);
        var options = new OtlpExporterOptions();

        OtlpSignal.Traces(configuration).Configure(options);
        var logs = OtlpSignal.Logs(configuration);

        Assert.Equal("x-traces=1", options.Headers);
        Assert.Equal(2500, options.TimeoutMilliseconds);
        Assert.Equal("http/protobuf", logs.Setting("OTEL_EXPORTER_OTLP_PROTOCOL"));
        Assert.Equal("x-shared=1", logs.Setting("OTEL_EXPORTER_OTLP_HEADERS"));
        // The shared endpoint stays the base URL for the sink to append /v1/logs to; the own one is a full URL.
        Assert.Equal("http://collector:4317", logs.Setting("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Null(logs.OwnEndpoint);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "-1")]
    public void A_malformed_value_is_a_configuration_error_naming_the_variable_not_the_value(string variable, string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => OtlpSignal.Traces(Configuration([(variable, value)])));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration((string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
