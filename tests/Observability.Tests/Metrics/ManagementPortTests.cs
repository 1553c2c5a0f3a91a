using System.Net;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Metrics;

public sealed class ManagementPortTests : IClassFixture<ManagementPortTests.Host>
{
    private readonly KestrelServiceFactory _service;

    public ManagementPortTests(Host host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _service = host.Service;
    }

    [Fact]
    public async Task Metrics_are_served_on_the_management_port()
    {
        using var response = await _service.Management.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("service_build_info{", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_not_found_on_the_application_port()
    {
        using var response = await _service.App.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/version")]
    [InlineData("/livez")]
    [InlineData("/openapi/v1.json")]
    public async Task Application_endpoints_are_not_found_on_the_management_port(string path)
    {
        using var onApp = await _service.App.GetAsync(path);
        using var onManagement = await _service.Management.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, onApp.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onManagement.StatusCode);
    }

    [Fact]
    public async Task Http_metrics_label_requests_by_route_template_never_by_raw_path()
    {
        const string id = "987654321";
        using (await _service.App.GetAsync($"/delay/{id}"))
        {
        }

        var text = await MetricsText.ScrapeAsync(_service.Management);

        Assert.Contains(MetricsText.Samples(text, "http_request_duration_seconds_count"),
            line => line.Contains("route=\"/delay/{ms:int}\"", StringComparison.Ordinal) && line.Contains("code=\"400\"", StringComparison.Ordinal));
        Assert.DoesNotContain(id, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probes_are_not_counted_as_http_traffic_but_readiness_is_recorded()
    {
        foreach (var probe in new[] { "/livez", "/readyz", "/healthz" })
        {
            using var response = await _service.App.GetAsync(probe);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var text = await MetricsText.ScrapeAsync(_service.Management);

        var http = MetricsText.Samples(text, "http_request_duration_seconds_count").Concat(MetricsText.Samples(text, "http_requests_in_progress"));
        Assert.DoesNotContain(http, line => line.Contains("route=\"/livez\"", StringComparison.Ordinal)
            || line.Contains("route=\"/readyz\"", StringComparison.Ordinal) || line.Contains("route=\"/healthz\"", StringComparison.Ordinal));
        Assert.Contains("service_ready 1", MetricsText.Samples(text, "service_ready"));
    }

    [Fact]
    public async Task The_status_page_and_its_polling_are_not_counted_as_http_traffic()
    {
        foreach (var path in new[] { "/", "/status-page/status-page.js", "/status-page/state" })
        {
            using var response = await _service.App.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var text = await MetricsText.ScrapeAsync(_service.Management);

        var http = MetricsText.Samples(text, "http_request_duration_seconds_count");
        Assert.DoesNotContain(http, line => line.Contains("route=\"/\"", StringComparison.Ordinal) || line.Contains("route=\"/status-page", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scrapes_are_not_counted_as_http_traffic()
    {
        await MetricsText.ScrapeAsync(_service.Management);

        var text = await MetricsText.ScrapeAsync(_service.Management);

        Assert.DoesNotContain("route=\"/metrics\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_info_names_version_commit_and_slot()
    {
        var text = await MetricsText.ScrapeAsync(_service.Management);

        var info = Assert.Single(MetricsText.Samples(text, "service_build_info"));
        Assert.Matches("^service_build_info\\{service_version=\"[^\"]+\",commit=\"[^\"]+\",deployment_slot=\"green\"\\} 1$", info);
    }

    public sealed class Host : IDisposable
    {
        public KestrelServiceFactory Service { get; } =
            new KestrelServiceFactory(new Dictionary<string, string?> { ["Service:Slot"] = "green", ["Drills:Enabled"] = "true" }).Start();

        public void Dispose() => Service.Dispose();
    }
}

public sealed class OnePortTests : IDisposable
{
    private readonly KestrelServiceFactory _service = new KestrelServiceFactory(onePort: true).Start();

    [Fact]
    public async Task Management_port_equal_to_the_application_port_serves_metrics_and_the_api_on_that_one_port()
    {
        using var metrics = await _service.App.GetAsync("/metrics");
        using var version = await _service.App.GetAsync("/version");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.DoesNotContain("route=\"/metrics\"", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _service.Dispose();
}

/// <summary>A host of its own: an exemplar is kept per series and bucket for 10 s, so other tests must not race it.</summary>
public sealed class ExemplarTests : IDisposable
{
    private readonly KestrelServiceFactory _service = new KestrelServiceFactory().Start();

    [Fact]
    public async Task Latency_histogram_carries_the_trace_id_as_an_OpenMetrics_exemplar()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/version"))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
            using var response = await _service.App.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        var text = await MetricsText.ScrapeAsync(_service.Management, "application/openmetrics-text; version=1.0.0");

        Assert.Contains(MetricsText.Samples(text, "http_request_duration_seconds_bucket"),
            line => line.Contains("route=\"/version\"", StringComparison.Ordinal) && line.Contains($"# {{trace_id=\"{traceId}\"", StringComparison.Ordinal));
    }

    public void Dispose() => _service.Dispose();
}
