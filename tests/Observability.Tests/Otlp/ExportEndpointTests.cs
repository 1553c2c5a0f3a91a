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
        // A fresh process has a single batch to send: one the receiver turns down must not decide which naming works.
        var (parents, spans) = await OtlpReceiver.SendUntilASpanArrivesAsync(
            async traceparent => { using var response = await ReceivedTelemetryTests.SendAsync(service, "/version", traceparent); },
            () => receiver.SpansAsync(name), $"a span reaches the receiver over {protocol}", service);
        Assert.All(spans, span => Assert.Equal(parents[span.TraceId], span.ParentSpanId));
        await OtlpReceiver.EventuallyAsync(() => receiver.LogRecordsAsync(name), all => all.Any(record => record.TraceId is { } id && parents.ContainsKey(id)),
            $"the log records reach the receiver over {protocol}", service);
    }
}
