namespace Delivery.Tests;

/// <summary>
/// The decisions of scripts/deploy/watch-slo.sh against a stubbed Prometheus API: what the callers saw through the
/// mesh decides, and a slot that served nothing is no success. (SloWatchTests runs the queries on a real Prometheus.)
/// </summary>
public sealed class SloGateDecisionTests
{
    private const string Slot = "destination_workload=\"company-service1-green\"";

    private static async Task<(int ExitCode, string Output, IReadOnlyList<string> Queries)> WatchAsync(
        Func<string, string?> answer, params string[] settings)
    {
        using var prometheus = new StubPrometheus(answer);
        var (exitCode, output) = await ProcessRunner.RunAsync(
            "env",
            [$"PROMETHEUS_URL={prometheus.Url}", "NAMESPACE=shop", "FULLNAME=company-service1", "SLOT=green",
             "SLO_WINDOW_SECONDS=2", "SLO_INTERVAL_SECONDS=1", .. settings, "scripts/deploy/watch-slo.sh"],
            TimeSpan.FromSeconds(60),
            Repository.Root);
        return (exitCode, output, prometheus.Queries);
    }

    /// <summary>A mesh whose callers saw the given 5xx ratio and whose green workload served the given requests.</summary>
    private static Func<string, string?> Mesh(string? errorRatio, string servedByGreen) => query => query switch
    {
        _ when query.StartsWith("count(last_over_time(istio_requests_total", StringComparison.Ordinal) => "12",
        _ when query.Contains("increase(istio_requests_total", StringComparison.Ordinal) => query.Contains(Slot, StringComparison.Ordinal) ? servedByGreen : "0",
        // Only the callers' side (reporter="source") sees Envoy's own 503s.
        _ when query.Contains("istio_requests_total{reporter=\"source\"", StringComparison.Ordinal)
            && query.Contains("response_code=~\"5..\"", StringComparison.Ordinal) => errorRatio,
        _ => "0",
    };

    [Fact]
    public async Task A_healthy_slot_passes()
    {
        var (exitCode, output, _) = await WatchAsync(Mesh(errorRatio: "0", servedByGreen: "1200"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("reading the mesh metrics", output, StringComparison.Ordinal);
        Assert.Contains("requests served 1200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Envoy_side_server_errors_that_never_reach_the_app_fail_the_release()
    {
        var (exitCode, output, _) = await WatchAsync(Mesh(errorRatio: "0.5", servedByGreen: "1200"));

        Assert.True(exitCode == 1, output);
        Assert.Contains("SLO violated: error ratio 0.5 is above 0.01", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "0", null)]
    [InlineData("0", "5", "10")]
    public async Task A_slot_that_serves_no_or_too_little_traffic_fails(string? errorRatio, string served, string? minimum)
    {
        // No data at all reads as a ratio of 0; the request count still tells "no traffic" from "no errors".
        string[] settings = minimum is null ? [] : [$"SLO_MIN_REQUESTS={minimum}"];

        var (exitCode, output, _) = await WatchAsync(Mesh(errorRatio, served), settings);

        Assert.True(exitCode == 1, output);
        Assert.Contains($"the slot served {served} requests in the window", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_request_count_can_be_turned_off()
    {
        var (exitCode, output, _) = await WatchAsync(Mesh(errorRatio: "0", servedByGreen: "0"), "SLO_MIN_REQUESTS=0");

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Without_mesh_metrics_the_app_histogram_of_the_slot_decides()
    {
        var (exitCode, output, queries) = await WatchAsync(query =>
            query.StartsWith("count(last_over_time(istio_requests_total", StringComparison.Ordinal) ? null
            : query.Contains("increase(http_request_duration_seconds_count{namespace=\"shop\",slot=\"green\"}", StringComparison.Ordinal) ? "300"
            : "0");

        Assert.True(exitCode == 0, output);
        Assert.Contains("reading the app metrics", output, StringComparison.Ordinal);
        Assert.DoesNotContain(queries.Skip(1), q => q.Contains("istio_requests_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_mesh_can_be_required()
    {
        var (exitCode, output, queries) = await WatchAsync(_ => null, "SLO_SOURCE=mesh");

        Assert.True(exitCode == 1, output);
        Assert.All(queries, q => Assert.Contains("istio_requests_total", q, StringComparison.Ordinal));
    }
}
