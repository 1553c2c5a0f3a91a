using Observability.Tests.Infrastructure;

namespace Observability.Tests.Otlp;

/// <summary>
/// <c>Telemetry:SamplingRatio=0</c> as the receiver sees it: no new trace is recorded, a caller's sampled trace is
/// still followed whole, and a caller's decision not to sample is followed too.
/// </summary>
[Trait("Category", "Process")]
[Collection(OtlpReceiver.Name)]
public sealed class SamplingExportTests(OtlpReceiver.Dashboard dashboard, ExportingService exporting) : IClassFixture<ExportingService>
{
    [Fact]
    public async Task At_ratio_0_only_the_request_whose_caller_sampled_it_is_recorded()
    {
        var receiver = dashboard.Receiver;
        var service = await exporting.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.OtlpHttpEndpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["Telemetry__SamplingRatio"] = "0",
        });
        for (var i = 0; i < 20; i++)
        {
            using var response = await service.Client.GetAsync("/version");
        }

        var (unsampledTrace, _, unsampled) = OtlpReceiver.NewContext(sampled: false);
        using (await ReceivedTelemetryTests.SendAsync(service, "/version", unsampled))
        {
        }

        var (traceId, parentId, traceparent) = OtlpReceiver.NewContext();
        using (await ReceivedTelemetryTests.SendAsync(service, "/version", traceparent))
        {
        }

        // The sampled request came last: once its span is in, any span of the others would have been exported too.
        var spans = await OtlpReceiver.EventuallyAsync(() => receiver.SpansAsync(exporting.ServiceName), all => all.Any(span => span.TraceId == traceId),
            "the sampled request's span arrives", service);
        var recorded = Assert.Single(spans);
        Assert.Equal(parentId, recorded.ParentSpanId);
        Assert.NotEqual(unsampledTrace, recorded.TraceId);
    }
}
