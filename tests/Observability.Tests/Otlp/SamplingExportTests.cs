using System.Diagnostics;
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

        // Sampled requests come last, a new one every 2 s until one is in: a batch the receiver turns down is not
        // retried, so one lost batch must not decide the test. Once a sampled span is in, any span of the requests
        // before it would have been exported too.
        var parents = new Dictionary<string, string>();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ReceivedSpan> spans = [];
        while (!spans.Any(span => parents.ContainsKey(span.TraceId)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"no sampled request's span arrived\n{service.Describe()}");
            var (traceId, parentId, traceparent) = OtlpReceiver.NewContext();
            parents[traceId] = parentId;
            await SendAsync(traceparent);

            for (var poll = 0; poll < 20 && !spans.Any(span => parents.ContainsKey(span.TraceId)); poll++)
            {
                await Task.Delay(100);
                spans = await receiver.SpansAsync(exporting.ServiceName);
            }
        }

        Assert.All(spans, recorded =>
        {
            Assert.True(parents.TryGetValue(recorded.TraceId, out var parentId), $"span of trace {recorded.TraceId} recorded, though no caller sampled it");
            Assert.Equal(parentId, recorded.ParentSpanId);
        });
        Assert.DoesNotContain(spans, recorded => recorded.TraceId == unsampledTrace);
    }
}
