using Observability.Tests.Infrastructure;

namespace Observability.Tests.Otlp;

/// <summary>
/// Each way the standard variables name the receiver gets the request's span and log records there, over gRPC and
/// over http/protobuf. A signal's own endpoint (<c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>, <c>..._LOGS_ENDPOINT</c>)
/// works alone, and over http/protobuf it is the full URL, used as it is.
/// </summary>
[Trait("Category", "Process")]
[Collection(OtlpReceiver.Name)]
public sealed class ExportEndpointTests(OtlpReceiver.Dashboard dashboard)
{
    public enum Naming
    {
        SharedEndpoint,
        SignalEndpoints,
    }

    [Theory]
    [InlineData("grpc", Naming.SharedEndpoint)]
    [InlineData("grpc", Naming.SignalEndpoints)]
    [InlineData("http/protobuf", Naming.SharedEndpoint)]
    [InlineData("http/protobuf", Naming.SignalEndpoints)]
    public async Task The_span_and_log_records_of_a_request_reach_the_receiver(string protocol, Naming naming)
    {
        var receiver = dashboard.Receiver;
        var name = $"otlp-endpoint-{Guid.NewGuid():N}";
        var grpc = protocol == "grpc";
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = name,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["Telemetry__ExportLogs"] = "true",
        };
        if (naming == Naming.SharedEndpoint)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = grpc ? receiver.OtlpGrpcEndpoint : receiver.OtlpHttpEndpoint;
        }
        else
        {
            environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = grpc ? receiver.OtlpGrpcEndpoint : $"{receiver.OtlpHttpEndpoint}/v1/traces";
            environment["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = grpc ? receiver.OtlpGrpcEndpoint : $"{receiver.OtlpHttpEndpoint}/v1/logs";
        }

        await using var service = await ServiceProcess.StartAsync(environment);
        await service.WaitUntilReadyAsync();
        // A new request every 2 s until one's span is in: a fresh process has a single batch to send, and one batch
        // the receiver turns down is not retried, so it must not decide which way of naming the receiver works.
        var parents = new Dictionary<string, string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<ReceivedSpan> spans = [];
        while (!spans.Any(span => parents.ContainsKey(span.TraceId)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60),
                $"no span reached the receiver over {protocol}\n{service.Describe()}\n--- receiver ---\n{receiver.Describe()}");
            var (traceId, parentId, traceparent) = OtlpReceiver.NewContext();
            parents[traceId] = parentId;
            using (await ReceivedTelemetryTests.SendAsync(service, "/version", traceparent))
            {
            }

            for (var poll = 0; poll < 20 && !spans.Any(span => parents.ContainsKey(span.TraceId)); poll++)
            {
                await Task.Delay(100);
                spans = await receiver.SpansAsync(name);
            }
        }

        Assert.All(spans, span => Assert.Equal(parents[span.TraceId], span.ParentSpanId));
        await OtlpReceiver.EventuallyAsync(() => receiver.LogRecordsAsync(name), all => all.Any(record => record.TraceId is { } id && parents.ContainsKey(id)),
            $"the log records reach the receiver over {protocol}", service);
    }
}
