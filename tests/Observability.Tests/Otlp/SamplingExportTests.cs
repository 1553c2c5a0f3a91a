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
        // The client of ServiceProcess traces nothing, so the service sees only the traceparent each request is given.
        var client = service.Client;
        async Task SendAsync(string? traceparent)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
            if (traceparent is not null)
            {
                request.Headers.Add("traceparent", traceparent);
            }

            using var response = await client.SendAsync(request);
        }

        for (var i = 0; i < 20; i++)
        {
            await SendAsync(null);
        }

        var (unsampledTrace, _, unsampled) = OtlpReceiver.NewContext(sampled: false);
        await SendAsync(unsampled);

        // Sampled requests come last: once one's span is in, any span of the requests before it would have been exported too.
        var (parents, spans) = await OtlpReceiver.SendUntilASpanArrivesAsync(SendAsync, () => receiver.SpansAsync(exporting.ServiceName),
            "a sampled request's span arrives", service);
        Assert.All(spans, recorded =>
        {
            Assert.True(parents.TryGetValue(recorded.TraceId, out var parentId), $"span of trace {recorded.TraceId} recorded, though no caller sampled it");
            Assert.Equal(parentId, recorded.ParentSpanId);
        });
        Assert.DoesNotContain(spans, recorded => recorded.TraceId == unsampledTrace);
    }
}
