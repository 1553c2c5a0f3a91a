using System.Net;
using System.Net.Http.Json;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Otlp;

/// <summary>
/// What a real OTLP receiver (the Aspire Dashboard) holds after the published service, exporting over gRPC with the
/// shared <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, served a few requests: read back through the receiver's own API.
/// </summary>
[Trait("Category", "Process")]
[Collection(OtlpReceiver.Name)]
public sealed class ReceivedTelemetryTests(OtlpReceiver.Dashboard dashboard, ExportingService exporting) : IClassFixture<ExportingService>
{
    private const string PodName = "company-service1-7d9f8-abcde";

    private AspireDashboard Receiver => dashboard.Receiver;

    [Fact]
    public async Task A_request_with_traceparent_is_a_server_span_in_that_trace_under_the_callers_span()
    {
        var service = await StartAsync();
        var (traceId, parentId, traceparent) = OtlpReceiver.NewContext();

        using (await SendAsync(service, "/version", traceparent))
        {
        }

        var server = await ServerSpanAsync(service, traceId);
        Assert.Equal(parentId, server.ParentSpanId);
        Assert.Equal("GET /version", server.Name);
        Assert.Equal("Microsoft.AspNetCore", server.Scope);
        Assert.Equal("/version", server["url.path"]);
        Assert.Equal("GET", server["http.request.method"]);
        Assert.Equal("200", server["http.response.status_code"]);
        Assert.Null(server["error.type"]);
    }

    [Fact]
    public async Task Http_route_is_the_route_template_as_declared_not_the_path()
    {
        var service = await StartAsync();
        var (traceId, _, traceparent) = OtlpReceiver.NewContext();

        using (await SendAsync(service, "/status/418", traceparent))
        {
        }

        var server = await ServerSpanAsync(service, traceId);
        Assert.Equal("/status/{code:int}", server["http.route"]);
        Assert.Equal("GET /status/{code:int}", server.Name);
        Assert.Equal("/status/418", server["url.path"]);
        Assert.Equal("418", server["http.response.status_code"]);
        // A 4xx is the client's error: the server span is not failed.
        Assert.Null(server["error.type"]);
        Assert.NotEqual(ReceivedSpan.ErrorStatus, server.StatusCode);
    }

    [Fact]
    public async Task An_injected_500_carries_error_type_and_the_error_status()
    {
        var service = await StartAsync();
        var (traceId, _, traceparent) = OtlpReceiver.NewContext();

        using (var response = await SendAsync(service, "/status/500", traceparent))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        var server = await ServerSpanAsync(service, traceId);
        Assert.Equal("500", server["http.response.status_code"]);
        Assert.Equal("500", server["error.type"]);
        Assert.Equal(ReceivedSpan.ErrorStatus, server.StatusCode);
    }

    [Fact]
    public async Task The_resource_names_the_service_its_version_instance_environment_slot_and_pod()
    {
        var service = await StartAsync();
        var (traceId, _, traceparent) = OtlpReceiver.NewContext();
        using (await SendAsync(service, "/version", traceparent))
        {
        }

        var resource = (await ServerSpanAsync(service, traceId)).Resource;
        var version = await service.Client.GetFromJsonAsync<VersionAnswer>("/version");
        Assert.Equal(exporting.ServiceName, resource["service.name"]);
        Assert.Equal(version!.Version, resource["service.version"]);
        // Inside Kubernetes the pod name is the instance: unique among running copies, stable for the pod's life.
        Assert.Equal(PodName, resource["service.instance.id"]);
        Assert.Equal("Production", resource["deployment.environment"]);
        Assert.Equal("green", resource["deployment.slot"]);
        Assert.Equal(PodName, resource["k8s.pod.name"]);
        Assert.Equal("payments", resource["k8s.namespace.name"]);
        Assert.Equal("node-3", resource["k8s.node.name"]);
    }

    [Fact]
    public async Task Log_records_carry_the_trace_and_span_id_of_the_request_that_wrote_them_with_their_severity()
    {
        var service = await StartAsync();
        var (traceId, _, traceparent) = OtlpReceiver.NewContext();
        using (await SendAsync(service, "/version", traceparent))
        {
        }

        var server = await ServerSpanAsync(service, traceId);
        var records = await OtlpReceiver.EventuallyAsync(() => Receiver.LogRecordsAsync(exporting.ServiceName),
            all => all.Any(r => r.TraceId == traceId), "the request's log records arrive", service);
        var completion = Assert.Single(records, r => r.TraceId == traceId && r.Scope == "Company.Service1.Http.Requests");
        Assert.Equal(server.SpanId, completion.SpanId);
        Assert.Equal(9, completion.SeverityNumber);
        Assert.Equal("Information", completion.SeverityText);
        Assert.Equal("HTTP GET /version responded 200", completion.Body);
        Assert.Equal("/version", completion.Attributes["Route"]);
        // The startup warning that the API is open: a warning, written outside any request.
        var open = Assert.Single(records, r => r.Body.StartsWith("AUTHENTICATION: OFF", StringComparison.Ordinal));
        Assert.Equal(13, open.SeverityNumber);
        Assert.Equal("Warning", open.SeverityText);
        Assert.Null(open.TraceId);
        Assert.Equal(server.Resource["service.instance.id"], completion.Resource["service.instance.id"]);
    }

    [Fact]
    public async Task Probes_and_metrics_scrapes_produce_no_spans_even_when_the_caller_samples_them()
    {
        var service = await StartAsync();
        var probeTraces = new List<string>();
        foreach (var (path, management) in new[] { ("/livez", false), ("/readyz", false), ("/healthz", false), ("/metrics", true) })
        {
            var (probeTrace, _, probeParent) = OtlpReceiver.NewContext();
            probeTraces.Add(probeTrace);
            using var response = await SendAsync(service, path, probeParent, management ? service.ManagementAddress : null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A traced request after the probes: once its span is in, theirs would have been exported too.
        var (traceId, _, traceparent) = OtlpReceiver.NewContext();
        using (await SendAsync(service, "/version", traceparent))
        {
        }

        await ServerSpanAsync(service, traceId);
        var spans = await Receiver.SpansAsync(exporting.ServiceName);
        Assert.DoesNotContain(spans, span => probeTraces.Contains(span.TraceId));
        Assert.DoesNotContain(spans, span => span["url.path"] is "/livez" or "/readyz" or "/healthz" or "/metrics");
    }

    [Fact]
    public async Task No_span_or_log_record_carries_a_token_cookie_or_query_secret()
    {
        var service = await StartAsync();
        var secrets = new[] { $"tok-{Guid.NewGuid():N}", $"cookie-{Guid.NewGuid():N}", $"query-{Guid.NewGuid():N}" };
        var (traceId, _, traceparent) = OtlpReceiver.NewContext();
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/status/500?api_key={secrets[2]}"))
        {
            request.Headers.Add("traceparent", traceparent);
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {secrets[0]}");
            request.Headers.TryAddWithoutValidation("Cookie", $"session={secrets[1]}");
            using var response = await service.Client.SendAsync(request);
        }

        await ServerSpanAsync(service, traceId);
        await OtlpReceiver.EventuallyAsync(() => Receiver.LogRecordsAsync(exporting.ServiceName),
            all => all.Any(r => r.TraceId == traceId), "the request's log records arrive", service);
        var everything = string.Join('\n', (await Receiver.SpansAsync(exporting.ServiceName)).SelectMany(span => span.Attributes.Values.Append(span.Name))
            .Concat((await Receiver.LogRecordsAsync(exporting.ServiceName)).SelectMany(record => record.Attributes.Values.Append(record.Body))));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
    }

    private Task<ServiceProcess> StartAsync() => exporting.StartAsync(new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.OtlpGrpcEndpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["Telemetry__ExportLogs"] = "true",
        ["Drills__Enabled"] = "true",
        ["Service__Slot"] = "green",
        ["K8S_POD_NAME"] = PodName,
        ["K8S_NAMESPACE_NAME"] = "payments",
        ["K8S_NODE_NAME"] = "node-3",
    });

    private async Task<ReceivedSpan> ServerSpanAsync(ServiceProcess service, string traceId)
    {
        var spans = await OtlpReceiver.EventuallyAsync(() => Receiver.SpansAsync(exporting.ServiceName),
            all => all.Any(span => span.TraceId == traceId && span.Kind == ReceivedSpan.ServerKind), $"the server span of trace {traceId} arrives", service);
        return Assert.Single(spans, span => span.TraceId == traceId && span.Kind == ReceivedSpan.ServerKind);
    }

    internal static async Task<HttpResponseMessage> SendAsync(ServiceProcess service, string path, string traceparent, Uri? baseAddress = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress ?? service.BaseAddress, path));
        request.Headers.Add("traceparent", traceparent);
        return await service.Client.SendAsync(request);
    }

    private sealed record VersionAnswer(string Version);
}
