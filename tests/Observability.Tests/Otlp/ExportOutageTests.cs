using System.Diagnostics;
using System.Globalization;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Otlp;

/// <summary>
/// The receiver goes away mid-run: requests keep their latency (export happens off the request path, into a bounded
/// queue), and what the exporter could not deliver is counted in <c>service_spans_dropped_total</c>. A receiver of
/// its own, since this test kills it; in the collection, so the latency is not measured alongside the other classes.
/// </summary>
[Trait("Category", "Process")]
[Collection(OtlpReceiver.Name)]
public sealed class ExportOutageTests
{
    private const int Requests = 300;

    [Fact]
    public async Task With_the_receiver_stopped_requests_keep_their_latency_and_the_lost_spans_are_counted()
    {
        await using var receiver = await AspireDashboard.StartAsync();
        var name = $"otlp-outage-{Guid.NewGuid():N}";
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = name,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.OtlpGrpcEndpoint,
            ["Telemetry__ExportLogs"] = "true",
            ["RateLimit__PermitsPerSecond"] = "0",
            ["RateLimit__PermitsPerClientPerSecond"] = "0",
        });
        await service.WaitUntilReadyAsync();
        await TimeRequestsAsync(service, 50);

        var before = await TimeRequestsAsync(service, Requests);
        var spans = await OtlpReceiver.EventuallyAsync(() => receiver.SpansAsync(name), all => all.Count >= Requests, "the spans arrive while the receiver runs", service);
        Assert.Equal(0, await DroppedSpansAsync(service));

        await receiver.StopAsync();
        var after = await TimeRequestsAsync(service, Requests);

        // Blocking on export would cost a connection attempt or a timeout (seconds) per request, not a millisecond.
        Assert.True(Median(after) <= Median(before) * 3 + 5, $"median {Median(before):F2} ms → {Median(after):F2} ms with the receiver gone");
        Assert.True(after.Max() < 1_000, $"slowest request with the receiver gone: {after.Max():F0} ms");
        // Every span served after the stop is lost (and maybe some queued before it): each one is counted.
        var dropped = await OtlpReceiver.EventuallyAsync(() => DroppedSpansAsync(service), count => count >= Requests, "the lost spans are counted", service);
        Console.WriteLine($"Receiver up: {spans.Count} spans received, median {Median(before):F2} ms, max {before.Max():F1} ms; "
            + $"receiver stopped: median {Median(after):F2} ms, max {after.Max():F1} ms, {dropped} spans counted as dropped.");
    }

    private static async Task<double[]> TimeRequestsAsync(ServiceProcess service, int count)
    {
        var timings = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await service.Client.GetAsync("/version");
            response.EnsureSuccessStatusCode();
            timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return timings;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static async Task<double> DroppedSpansAsync(ServiceProcess service)
    {
        var text = await service.Client.GetStringAsync(new Uri(service.ManagementAddress, "/metrics"));
        var line = text.Split('\n').Single(l => l.StartsWith("service_spans_dropped_total ", StringComparison.Ordinal));
        return double.Parse(line["service_spans_dropped_total ".Length..], CultureInfo.InvariantCulture);
    }
}
