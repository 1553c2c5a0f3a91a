using System.Text.RegularExpressions;

namespace Delivery.Tests;

/// <summary>scripts/deploy/watch-slo.sh against a real Prometheus: the check that decides an automatic switch-back.</summary>
public sealed class SloWatchTests(PrometheusWithServices prometheus) : IClassFixture<PrometheusWithServices>
{
    private static Task<(int ExitCode, string Output)> WatchAsync(params string[] settings) =>
        ProcessRunner.RunAsync(
            "env",
            [.. settings, "SLO_INTERVAL_SECONDS=1", "scripts/deploy/watch-slo.sh"],
            TimeSpan.FromSeconds(60),
            Repository.Root);

    [Fact]
    public async Task The_slo_holds_while_the_new_slot_answers_without_errors()
    {
        var (exitCode, output) = await WatchAsync($"PROMETHEUS_URL={prometheus.Url}", "NAMESPACE=healthy", "SLOT=green", "SLO_WINDOW_SECONDS=2");

        Assert.True(exitCode == 0, output);
        Assert.Contains("error ratio 0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("no data", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_percent_server_errors_violate_a_one_percent_budget()
    {
        var (exitCode, output) = await WatchAsync($"PROMETHEUS_URL={prometheus.Url}", "NAMESPACE=failing", "SLOT=green", "SLO_WINDOW_SECONDS=30");

        Assert.True(exitCode == 1, output);
        Assert.True(Regex.IsMatch(output, @"SLO violated: error ratio 0\.(1|09)\d* is above 0\.01"), output);
    }

    [Fact]
    public async Task Ten_percent_server_errors_fit_a_twenty_percent_budget()
    {
        var (exitCode, output) = await WatchAsync(
            $"PROMETHEUS_URL={prometheus.Url}", "NAMESPACE=failing", "SLOT=green", "SLO_WINDOW_SECONDS=2", "SLO_MAX_ERROR_RATIO=0.2");

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Envoy_side_503s_the_app_never_saw_violate_the_slo_through_the_mesh_metrics()
    {
        var (exitCode, output) = await WatchAsync(
            $"PROMETHEUS_URL={prometheus.Url}", "NAMESPACE=mesh", "FULLNAME=company-service1", "SLOT=green", "SLO_WINDOW_SECONDS=30");

        Assert.True(exitCode == 1, output);
        Assert.Contains("reading the mesh metrics", output, StringComparison.Ordinal);
        Assert.True(Regex.IsMatch(output, @"SLO violated: error ratio 0\.(2|19)\d* is above 0\.01"), output);
    }

    [Fact]
    public async Task The_mesh_metrics_count_the_requests_the_slot_served()
    {
        var (exitCode, output) = await WatchAsync(
            $"PROMETHEUS_URL={prometheus.Url}", "NAMESPACE=mesh", "FULLNAME=company-service1", "SLOT=green",
            "SLO_WINDOW_SECONDS=2", "SLO_MAX_ERROR_RATIO=0.5", "SLO_MIN_REQUESTS=100");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"requests served [1-9]\d{2,}", output);
    }

    [Fact]
    public async Task A_slot_nobody_called_serves_no_requests()
    {
        var (exitCode, output) = await WatchAsync(
            $"PROMETHEUS_URL={prometheus.Url}", "NAMESPACE=mesh", "FULLNAME=company-service1", "SLOT=blue",
            "SLO_WINDOW_SECONDS=2", "SLO_MAX_ERROR_RATIO=0.5");

        Assert.True(exitCode == 1, output);
        Assert.Contains("the slot served 0 requests in the window", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_prometheus_counts_as_a_violation()
    {
        var (exitCode, output) = await WatchAsync($"PROMETHEUS_URL=http://127.0.0.1:{FreePort.Next()}", "NAMESPACE=healthy", "SLO_WINDOW_SECONDS=30");

        Assert.True(exitCode == 1, output);
        Assert.Contains("did not answer 3 times in a row", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_namespace_is_a_usage_error()
    {
        var (exitCode, output) = await WatchAsync($"PROMETHEUS_URL={prometheus.Url}", "NAMESPACE=");

        Assert.Equal(2, exitCode);
        Assert.Contains("set NAMESPACE", output, StringComparison.Ordinal);
    }
}
