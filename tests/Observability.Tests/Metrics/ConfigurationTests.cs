namespace Observability.Tests.Metrics;

/// <summary>Bad observability settings stop the published service with one line and exit code 2, like any setting.</summary>
[Trait("Category", "Process")]
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Management__Port", "70000", "Port")]
    [InlineData("Telemetry__SamplingRatio", "1.5", "SamplingRatio")]
    [InlineData("Elasticsearch__Dataset", "Not-Valid", "Dataset")]
    [InlineData("Elasticsearch__Url", "not a url", "Url")]
    [InlineData("Elasticsearch__QueueLimitBytes", "1000", "QueueLimitBytes")]
    [InlineData("ASPNETCORE_URLS", "https://127.0.0.1:8443", "https://127.0.0.1:8443")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4317", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/json", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL")]
    public async Task A_bad_value_stops_the_service_with_one_line_naming_it_and_exit_code_2(string variable, string value, string named)
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?> { [variable] = value });

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(service.StandardError);
        Assert.Contains(named, line, StringComparison.Ordinal);
    }
}
