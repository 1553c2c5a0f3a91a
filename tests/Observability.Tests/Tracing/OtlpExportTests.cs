using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Tracing;

/// <summary>
/// The OTLP/HTTP wire as sent, which a real receiver (tests/Observability.Tests/Otlp) cannot show: a loopback endpoint
/// records each request's path, content type and protobuf body, and the test looks for the raw 16 bytes of the trace
/// id, which OTLP carries in both spans and log records. The signals' own endpoints are full URLs, used as they are:
/// a real receiver answers only on <c>/v1/traces</c> and <c>/v1/logs</c>, so only here can a path of another shape
/// show that nothing is appended to it.
/// </summary>
[Trait("Category", "Process")]
public sealed class OtlpExportTests : IDisposable
{
    private readonly HttpListener _collector = new();
    private readonly ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> _exports = new();
    private readonly int _port = FreePort.Next();

    public OtlpExportTests()
    {
        _collector.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _collector.Start();
        _ = Task.Run(ReceiveAsync);
    }

    [Fact]
    public async Task Spans_and_log_records_go_as_protobuf_to_the_signals_own_endpoints_as_they_are()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = $"http://127.0.0.1:{_port}/collector/spans",
            ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = $"http://127.0.0.1:{_port}/collector/records",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["Telemetry__ExportLogs"] = "true",
        });
        await service.WaitUntilReadyAsync();
        var traceId = ActivityTraceId.CreateRandom();
        var bytes = new byte[16];
        traceId.CopyTo(bytes);

        using var client = KestrelServiceFactory.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service.BaseAddress, "/version"));
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using (await client.SendAsync(request))
        {
        }

        await Eventually.HoldsAsync(() => Carries("/collector/spans", bytes) && Carries("/collector/records", bytes),
            "spans and log records with the trace id are exported", TimeSpan.FromSeconds(20));
        Assert.All(_exports, export => Assert.Equal("application/x-protobuf", export.ContentType));
        Assert.All(_exports, export => Assert.Contains(export.Path, new[] { "/collector/spans", "/collector/records" }));
    }

    public void Dispose()
    {
        _collector.Stop();
        _collector.Close();
    }

    private bool Carries(string path, byte[] traceId) =>
        _exports.Any(export => export.Path == path && export.Body.AsSpan().IndexOf(traceId) >= 0);

    private async Task ReceiveAsync()
    {
        while (_collector.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _collector.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _exports.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            // An empty Export*ServiceResponse message is an empty protobuf body.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
