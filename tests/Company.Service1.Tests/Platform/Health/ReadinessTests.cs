using System.Net;
using System.Text;
using System.Text.Json;
using Company.Service1.Platform.Health;
using Company.Service1.Platform.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Company.Service1.Tests.Platform.Health;

/// <summary>What an operator sees of readiness: the probe's answer, one log line per change, the gauge, the report.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly CapturedLog _log = new();
    private readonly ServiceFactory _factory = new();
    private readonly WebApplicationFactory<Program> _service;
    private readonly HttpClient _client;

    public ReadinessTests()
    {
        _service = _factory.LoggingTo(_log);
        _client = _service.CreateClient();
    }

    private DrainState Drain => _service.Services.GetRequiredService<DrainState>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Readiness_logs_each_change_once_naming_the_failing_check()
    {
        await ProbeThriceAsync(HttpStatusCode.OK, "Healthy");
        Drain.BeginDrain();
        await ProbeThriceAsync(HttpStatusCode.ServiceUnavailable, "Unhealthy");

        var lines = _log.Lines.Where(l => l.Category.EndsWith("ReadinessReporter", StringComparison.Ordinal)).ToList();
        Assert.Collection(lines,
            ready => Assert.Equal((LogLevel.Information, "Ready: every readiness check passes"), (ready.Level, ready.Message)),
            notReady =>
            {
                Assert.Equal(LogLevel.Warning, notReady.Level);
                Assert.StartsWith("Not ready: drain: ", notReady.Message, StringComparison.Ordinal);
                Assert.Contains("draining", notReady.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("startup", notReady.Message, StringComparison.Ordinal);
            });
    }

    [Fact]
    public async Task The_readiness_gauge_follows_the_probe_and_counts_each_change()
    {
        await ProbeThriceAsync(HttpStatusCode.OK, "Healthy");
        Assert.Contains("service_ready 1\n", await MetricsTextAsync(), StringComparison.Ordinal);

        Drain.BeginDrain();
        await ProbeThriceAsync(HttpStatusCode.ServiceUnavailable, "Unhealthy");

        var metrics = await MetricsTextAsync();
        Assert.Contains("service_ready 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("service_readiness_changes_total 1\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_draining_the_report_is_503_and_names_the_drain_as_the_failing_check()
    {
        Drain.BeginDrain();

        using var response = await _client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("Unhealthy", checks["drain"].GetProperty("status").GetString());
        Assert.Contains("draining", checks["drain"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", checks["startup"].GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(checks["startup"].GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Not_ready_names_every_failing_check_with_its_reason_and_no_passing_one()
    {
        var report = Report(("database", HealthStatus.Unhealthy, "connection refused"), ("startup", HealthStatus.Healthy, "started"),
            ("drain", HealthStatus.Unhealthy, "draining"));

        await Reporter().WriteAsync(new DefaultHttpContext(), report);

        var line = Assert.Single(ReporterLines());
        Assert.Equal((LogLevel.Warning, "Not ready: database: connection refused; drain: draining"), (line.Level, line.Message));
    }

    [Fact]
    public async Task A_first_answer_that_is_degraded_is_logged_too()
    {
        await Reporter().WriteAsync(new DefaultHttpContext(), Report(("database", HealthStatus.Degraded, "slow")));

        Assert.Equal("Not ready: database: slow", Assert.Single(ReporterLines()).Message);
    }

    [Theory]
    [InlineData("/livez")]
    [InlineData("/LIVEZ")]
    [InlineData("/Readyz")]
    [InlineData("/healthz")]
    public void Probe_paths_are_recognised_whatever_their_case(string path) =>
        Assert.True(HealthEndpoints.IsProbe(path));

    [Theory]
    [InlineData("/version")]
    [InlineData("/livez/extra")]
    [InlineData("/")]
    public void Other_paths_are_not_probes(string path) =>
        Assert.False(HealthEndpoints.IsProbe(path));

    // Three probes per state: a reporter that logged on the second unchanged answer instead of the first change would
    // still write one line per state with two.
    private async Task ProbeThriceAsync(HttpStatusCode status, string body)
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await _client.GetAsync("/readyz");
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }
    }

    private ReadinessReporter Reporter() =>
        new(_service.Services.GetRequiredService<ServiceMetrics>(), _service.Services.GetRequiredService<ILogger<ReadinessReporter>>());

    private static HealthReport Report(params (string Name, HealthStatus Status, string Description)[] entries) =>
        new(entries.ToDictionary(e => e.Name, e => new HealthReportEntry(e.Status, e.Description, TimeSpan.Zero, null, null)), TimeSpan.Zero);

    private List<LogLine> ReporterLines() =>
        [.. _log.Lines.Where(l => l.Category.EndsWith("ReadinessReporter", StringComparison.Ordinal))];

    private async Task<string> MetricsTextAsync()
    {
        using var stream = new MemoryStream();
        await _service.Services.GetRequiredService<ServiceMetrics>().Registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
