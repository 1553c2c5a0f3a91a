using System.Diagnostics;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Tracing;

/// <summary>
/// The server span of a request carries what OpenTelemetry's HTTP server conventions ask for, at its start (for
/// samplers) and at its end (route, status, name, error status), the way a tracing backend groups and colours it.
/// </summary>
public sealed class ServerSpanTests : IDisposable
{
    private readonly TracedService _service = new(new Dictionary<string, string?> { ["Drills:Enabled"] = "true" });

    [Fact]
    public async Task A_matched_route_names_the_span_and_tags_route_status_and_request()
    {
        var span = await ServerSpanOfAsync("/version?verbose=1");

        Assert.Equal("GET /version", span.DisplayName);
        Assert.Equal("/version", span.GetTagItem("http.route"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("GET", span.GetTagItem("http.request.method"));
        Assert.Equal("/version", span.GetTagItem("url.path"));
        Assert.Equal("http", span.GetTagItem("url.scheme"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal("1.1", span.GetTagItem("network.protocol.version"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Null(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task An_unmatched_path_is_named_by_its_method_only_and_a_404_is_not_a_server_error()
    {
        var span = await ServerSpanOfAsync("/no/such/thing");

        Assert.Equal("GET", span.DisplayName);
        Assert.Null(span.GetTagItem("http.route"));
        Assert.Equal(404, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task A_5xx_marks_the_span_as_failed_with_the_status_as_error_type()
    {
        var span = await ServerSpanOfAsync("/status/503");

        Assert.Equal("GET /status/{code:int}", span.DisplayName);
        Assert.Equal(503, span.GetTagItem("http.response.status_code"));
        Assert.Equal("503", span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task A_huge_user_agent_is_cut_to_256_characters_so_queued_spans_stay_small()
    {
        var span = await ServerSpanOfAsync("/version", userAgentTail: new string('x', 20_000));

        var userAgent = Assert.IsType<string>(span.GetTagItem("user_agent.original"));
        Assert.Equal(256, userAgent.Length);
    }

    public void Dispose() => _service.Dispose();

    private async Task<Activity> ServerSpanOfAsync(string path, string userAgentTail = "")
    {
        using var response = await _service.GetAsync(path, userAgentTail: userAgentTail);
        await Eventually.HoldsAsync(() => _service.ServerSpans().Length > 0, "the server span is exported");
        return Assert.Single(_service.ServerSpans());
    }
}
