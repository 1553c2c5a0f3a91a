using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Company.Service1.Tests.Platform.Shutdown;

/// <summary>
/// SIGTERM while every telemetry endpoint hangs (Elasticsearch, OTLP traces and logs: each exporter has a request sent
/// that is never answered) still ends inside the chart's grace period: the drain takes what it is given, the flush only a bounded
/// time after it. Metrics are scraped (<c>/metrics</c>), never pushed, so there is no metrics endpoint to hang.
/// </summary>
[Collection(ProcessTests.Collection)]
[Trait("Category", "Process")]
public sealed partial class HangingTelemetryShutdownTests(ITestOutputHelper output)
{
    // Shorter than the chart's 5 + 25 s so the test is quick; the chart's relation is kept by allowing the same time
    // after the drain as the chart does (terminationGracePeriodSeconds - delay - timeout).
    private const int DelaySeconds = 1;
    private const int TimeoutSeconds = 2;

    [Fact]
    public async Task Sigterm_exits_0_inside_the_charts_grace_period_while_every_telemetry_endpoint_hangs()
    {
        var chart = ChartTermination.Read();
        using var elasticsearch = new SilentEndpoint();
        using var collector = new SilentEndpoint();
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Authentication__Disabled"] = "true",
            ["Drain__DelaySeconds"] = DelaySeconds.ToString(CultureInfo.InvariantCulture),
            ["Drain__TimeoutSeconds"] = TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["Drills__Enabled"] = "true",
            ["RateLimit__PermitsPerSecond"] = "0",
            ["Elasticsearch__Url"] = elasticsearch.Url,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Url,
            // HTTP rather than gRPC only so the test can read which signal each waiting request carries.
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["Telemetry__ExportLogs"] = "true",
        });
        await service.WaitUntilReadyAsync();
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        // A request that outlives the drain timeout, so the drain takes its whole budget before the flush begins.
        var stuck = client.GetAsync("/delay/60000");
        // Every exporter is stuck in a request of its own before the signal: requests make spans and log lines.
        await WaitUntilAsync(async () =>
        {
            using var response = await client.GetAsync("/version");
            return Waiting(elasticsearch, "/_bulk") && Waiting(collector, "/v1/traces") && Waiting(collector, "/v1/logs");
        }, TimeSpan.FromSeconds(60), () => $"every exporter to wait on its endpoint (elasticsearch: {string.Join(", ", elasticsearch.RequestLines)}; "
            + $"collector: {string.Join(", ", collector.RequestLines)})");

        var clock = Stopwatch.StartNew();
        service.Signal(ServiceProcess.SigTerm);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(chart.GracePeriodSeconds * 3));
        var elapsed = clock.Elapsed;
        var allowed = TimeSpan.FromSeconds(DelaySeconds + TimeoutSeconds + chart.AfterDrainSeconds);
        output.WriteLine($"SIGTERM to exit: {elapsed.TotalMilliseconds:F0} ms; allowed {allowed.TotalSeconds} s "
            + $"(drain {DelaySeconds} + {TimeoutSeconds} s, plus the chart's {chart.AfterDrainSeconds} s after its drain)");

        Assert.Equal(0, exitCode);
        Assert.True(elapsed < allowed, $"exited {elapsed} after SIGTERM; the chart allows {allowed}");
        // Stdout is flushed before any backend can stall it: the drain's last line is there.
        Assert.Contains(service.StandardOutput, l => l.Contains("in-flight requests were cut", StringComparison.Ordinal));
        await Assert.ThrowsAnyAsync<Exception>(() => stuck);
    }

    private static bool Waiting(SilentEndpoint endpoint, string path) =>
        endpoint.RequestLines.Any(line => line.StartsWith("POST ", StringComparison.Ordinal) && line.Contains($"{path} HTTP/", StringComparison.Ordinal));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout} for {what()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The chart's termination budget, from its values.yaml.</summary>
    private sealed partial record ChartTermination(int GracePeriodSeconds, int DelaySeconds, int TimeoutSeconds)
    {
        /// <summary>What the chart leaves between the end of the drain and the kubelet's SIGKILL.</summary>
        public int AfterDrainSeconds => GracePeriodSeconds - DelaySeconds - TimeoutSeconds;

        public static ChartTermination Read()
        {
            var values = File.ReadAllText(Path.Combine(PublishedService.RepositoryRoot(), "charts", "company-service1", "values.yaml"));
            var drain = DrainBlock().Match(values).Value;
            return new ChartTermination(
                Number(TopLevel("terminationGracePeriodSeconds"), values), Number(Nested("delaySeconds"), drain), Number(Nested("timeoutSeconds"), drain));
        }

        private static Regex TopLevel(string key) => new($"^{key}: *(\\d+)", RegexOptions.Multiline);

        private static Regex Nested(string key) => new($"^  {key}: *(\\d+)", RegexOptions.Multiline);

        private static int Number(Regex pattern, string text) =>
            int.Parse(pattern.Match(text) is { Success: true } match ? match.Groups[1].Value : throw new InvalidDataException($"{pattern} not in values.yaml"),
                CultureInfo.InvariantCulture);

        [GeneratedRegex(@"^drain:\n(?:(?:  .*|\s*#.*)?\n)+", RegexOptions.Multiline)]
        private static partial Regex DrainBlock();
    }
}
