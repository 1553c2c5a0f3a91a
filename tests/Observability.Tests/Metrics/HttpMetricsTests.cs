using System.Globalization;
using System.Net;
using System.Text;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Metrics;

/// <summary>A host per test: the size histograms' sums must count exactly the requests the test sends.</summary>
public sealed class HttpMetricsTests : IDisposable
{
    private readonly KestrelServiceFactory _service = new KestrelServiceFactory(new Dictionary<string, string?> { ["Drills:Enabled"] = "true" }).Start();

    [Theory]
    [InlineData("/version", "/version")]
    [InlineData("/openapi/v1.json", "/openapi/v1.json")]
    [InlineData("/delay/1", "/delay/{ms:int}")]
    public async Task Response_size_is_the_body_bytes_sent(string path, string route)
    {
        using var response = await _service.App.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();

        var text = await MetricsText.ScrapeAsync(_service.Management);

        var code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        Assert.True(body.Length > 0);
        Assert.Equal(body.Length, Value(text, "http_response_size_bytes_sum", $"code=\"{code}\"", "method=\"GET\"", $"route=\"{route}\""));
        Assert.Equal(1, Value(text, "http_response_size_bytes_count", $"code=\"{code}\"", "method=\"GET\"", $"route=\"{route}\""));
    }

    [Fact]
    public async Task Request_size_is_the_content_length_of_the_body()
    {
        const string json = """{"note":"measure my body"}""";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _service.App.PostAsync("/faults?rate=0", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var text = await MetricsText.ScrapeAsync(_service.Management);

        Assert.Equal(Encoding.UTF8.GetByteCount(json),
            Value(text, "http_request_size_bytes_sum", "code=\"200\"", "method=\"POST\"", "route=\"/faults\""));
    }

    [Fact]
    public async Task Methods_outside_the_standard_set_share_one_label_value()
    {
        foreach (var method in new[] { "BREW", "PROPFIND" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "/version");
            using var response = await _service.App.SendAsync(request);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }

        var text = await MetricsText.ScrapeAsync(_service.Management);

        Assert.Equal(2, Value(text, "http_request_duration_seconds_count", "code=\"405\"", "method=\"_OTHER\""));
        Assert.DoesNotContain("BREW", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PROPFIND", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paths_no_route_matches_share_one_series()
    {
        var paths = Enumerable.Range(0, 3).Select(_ => $"/no/such/{Guid.NewGuid()}").ToList();
        foreach (var path in paths)
        {
            using var response = await _service.App.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var text = await MetricsText.ScrapeAsync(_service.Management);

        Assert.Equal(3, Value(text, "http_request_duration_seconds_count", "code=\"404\"", "method=\"GET\"", "route=\"\""));
        Assert.All(paths, path => Assert.DoesNotContain(path, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_is_in_progress_once_requests_have_finished()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await _service.App.GetAsync("/version");
            response.EnsureSuccessStatusCode();
        }));

        var text = await MetricsText.ScrapeAsync(_service.Management);

        Assert.Equal(0, Value(text, "http_requests_in_progress"));
        Assert.Equal(8, Value(text, "http_request_duration_seconds_count", "route=\"/version\""));
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels contain every given label.</summary>
    private static double Value(string text, string metric, params string[] labels) =>
        MetricsText.Samples(text, metric)
            .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    public void Dispose() => _service.Dispose();
}
