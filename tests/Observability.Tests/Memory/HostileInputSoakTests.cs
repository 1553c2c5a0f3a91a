using System.Diagnostics;
using System.Globalization;
using Observability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Observability.Tests.Memory;

/// <summary>
/// The published service under a flood of requests whose every client-controlled part is new each time (see
/// <see cref="HostileRequests"/>): no cache, dictionary or queue may keep what a client sends, so its resident memory
/// after the flood stays near where it was after a warm-up of the same traffic. Rate limiting is off, so the test
/// measures memory, not the limiter. It runs alone: its flood keeps both cores busy, which would distort the timings
/// other tests assert.
/// </summary>
[Collection(RunsAlone.Name)]
[Trait("Category", "Process")]
public sealed class HostileInputSoakTests(ITestOutputHelper output)
{
    private const int Workers = 8;
    private const int WarmUpPerVector = 2000;
    private const int SoakPerVector = 8000;

    /// <summary>
    /// Growth allowed from the end of the warm-up to the end of the flood. The service runs Server GC (the Web SDK's
    /// default, no heap limit), which with dynamic adaptation sizes its heap by the allocation rate, not by what is
    /// live: measured here, RSS keeps rising for the first 20,000-30,000 of these requests and then levels off, 10 MiB
    /// (default) and 15-32 MiB (log shipping, whose large _bulk and OTLP bodies churn the large-object heap) above the
    /// end of the warm-up. A leak of what the flood sends is far larger: the flood carries 8,000 distinct methods of
    /// 3-4 KB, which cost 70-110 MiB when they were cached per method, and the other vectors send as much again.
    /// </summary>
    private const long AllowedGrowthBytes = 48L * 1024 * 1024;

    private static readonly HostileVector[] Vectors = Enum.GetValues<HostileVector>();

    [Fact]
    public async Task Resident_memory_stays_flat_under_hostile_input_with_the_default_configuration()
    {
        await using var service = await StartAsync([]);

        await SoakAsync(service, []);
    }

    [Fact]
    public async Task Resident_memory_stays_flat_under_hostile_input_with_log_shipping_on()
    {
        using var elasticsearch = new DiscardingReceiver("""{"took":1,"errors":false,"items":[]}"""u8.ToArray(), "application/json");
        // An empty Export*ServiceResponse message is an empty protobuf body.
        using var collector = new DiscardingReceiver([], "application/x-protobuf");
        await using var service = await StartAsync(new Dictionary<string, string?>
        {
            ["Elasticsearch__Url"] = elasticsearch.Url,
            ["Elasticsearch__FlushIntervalMilliseconds"] = "200",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["Telemetry__ExportLogs"] = "true",
        });

        await SoakAsync(service, [elasticsearch, collector]);
    }

    private static async Task<ServiceProcess> StartAsync(Dictionary<string, string?> environment)
    {
        environment["RateLimit__PermitsPerSecond"] = "0";
        environment["RateLimit__PermitsPerClientPerSecond"] = "0";
        environment["Authentication__Disabled"] = "true";
        var service = await ServiceProcess.StartAsync(environment);
        await service.WaitUntilReadyAsync();
        return service;
    }

    private async Task SoakAsync(ServiceProcess service, DiscardingReceiver[] backends)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            // Keep-alive connections, one per worker; the test's own trace context must not replace the hostile one.
            MaxConnectionsPerServer = Workers,
            ActivityHeadersPropagator = null,
            UseCookies = false,
        })
        { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();

        await FloodAsync(client, 0, WarmUpPerVector);
        await SettleAsync(service, client, backends);
        var warm = ResidentBytes(service);
        await FloodAsync(client, WarmUpPerVector, SoakPerVector);
        await SettleAsync(service, client, backends);
        var soaked = ResidentBytes(service);

        output.WriteLine($"RSS {Mib(warm)} MiB after warm-up ({WarmUpPerVector * Vectors.Length} requests), {Mib(soaked)} MiB after the flood "
            + $"({SoakPerVector * Vectors.Length} more), {clock.Elapsed.TotalSeconds:F1} s");
        Assert.False(service.HasExited);
        Assert.True(soaked - warm <= AllowedGrowthBytes,
            $"RSS grew from {Mib(warm)} MiB to {Mib(soaked)} MiB under {SoakPerVector * Vectors.Length} hostile requests (allowed: {Mib(AllowedGrowthBytes)} MiB).");
    }

    /// <summary>Sends <paramref name="perVector"/> requests of every vector, interleaved, numbered from <paramref name="first"/>.</summary>
    private static async Task FloodAsync(HttpClient client, int first, int perVector)
    {
        var total = perVector * Vectors.Length;
        var next = -1;
        var serverErrors = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (var k = Interlocked.Increment(ref next); k < total; k = Interlocked.Increment(ref next))
            {
                using var request = HostileRequests.Create(Vectors[k % Vectors.Length], first + (k / Vectors.Length));
                using var response = await client.SendAsync(request);
                await response.Content.CopyToAsync(Stream.Null);
                if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref serverErrors);
                }
            }
        })));
        Assert.Equal(0, serverErrors);
    }

    /// <summary>
    /// Waits until everything the flood caused has left the service: a last request's completion line is on stdout
    /// and at every log backend, so each queue in front of them was drained past the flood.
    /// </summary>
    private static async Task SettleAsync(ServiceProcess service, HttpClient client, DiscardingReceiver[] backends)
    {
        var marker = "/soak-settled-" + Guid.NewGuid().ToString("N");
        foreach (var backend in backends)
        {
            backend.Marker = marker;
        }

        using (await client.GetAsync(marker))
        {
        }

        await Eventually.HoldsAsync(() => service.StandardOutput.Any(line => line.Contains(marker, StringComparison.Ordinal))
            && backends.All(backend => backend.MarkerSeen), "the last request's line is written and shipped", TimeSpan.FromSeconds(60));
    }

    private static long ResidentBytes(ServiceProcess service)
    {
        var line = File.ReadLines($"/proc/{service.ProcessId}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture);
}
