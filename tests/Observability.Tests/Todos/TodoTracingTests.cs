using System.Diagnostics;
using System.Net;
using Observability.Tests.Infrastructure;
using Observability.Tests.Tracing;

namespace Observability.Tests.Todos;

/// <summary>Todo requests traced into PostgreSQL: the database spans are children of the server span, and no secret leaks.</summary>
public sealed class TodoTracingTests(TracePropagationTests.Host host) : IClassFixture<TracePropagationTests.Host>
{
    [Fact]
    public async Task A_request_with_traceparent_yields_server_and_database_spans_in_that_trace()
    {
        var (traceId, parentId) = TracePropagationTests.NewContext();

        using var response = await TracePropagationTests.SendAsync(host.Service.App, HttpMethod.Post, "/api/v1/todos", traceId, parentId, new { title = "trace me" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await Eventually.HoldsAsync(() => SpansOf(traceId).Any(TracePropagationTests.IsServer) && SpansOf(traceId).Any(TracePropagationTests.IsDatabase), "server and database spans are exported");
        var server = Assert.Single(SpansOf(traceId), TracePropagationTests.IsServer);
        Assert.Equal(parentId, server.ParentSpanId.ToHexString());
        Assert.Equal("/api/v1/todos/", server.GetTagItem("http.route"));
        Assert.All(SpansOf(traceId).Where(TracePropagationTests.IsDatabase), db => Assert.Equal(server.SpanId, db.ParentSpanId));
    }

    [Fact]
    public async Task The_database_password_appears_in_no_log_line_span_or_metric()
    {
        var (traceId, parentId) = TracePropagationTests.NewContext();
        using (await TracePropagationTests.SendAsync(host.Service.App, HttpMethod.Get, "/api/v1/todos", traceId, parentId))
        {
        }

        await Eventually.HoldsAsync(() => SpansOf(traceId).Any(TracePropagationTests.IsDatabase), "database spans are exported");
        var metrics = await MetricsText.ScrapeAsync(host.Service.Management);
        var password = host.Postgres!.Password;
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(password, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Spans.ToArray().SelectMany(span => span.TagObjects),
            tag => tag.Value?.ToString()?.Contains(password, StringComparison.Ordinal) == true);
    }

    private IEnumerable<Activity> SpansOf(string traceId) => host.Spans.ToArray().Where(a => a.TraceId.ToHexString() == traceId);
}
