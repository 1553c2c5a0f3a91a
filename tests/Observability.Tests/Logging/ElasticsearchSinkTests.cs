using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog;
using Serilog.Events;
using Serilog.Parsing;

namespace Observability.Tests.Logging;

/// <summary>
/// The Elasticsearch sink against the <c>_bulk</c> wire format as Elasticsearch documents it: NDJSON, a
/// <c>create</c> action line before each document (data streams accept only <c>create</c>), a final newline,
/// <c>Content-Type: application/x-ndjson</c>, and per-item results when <c>errors</c> is true.
/// </summary>
public sealed class ElasticsearchSinkTests
{
    private static readonly TimeSpan FastRetry = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task A_batch_is_one_bulk_request_of_create_actions_into_the_data_stream()
    {
        using var receiver = new BulkReceiver((request, _) => Task.FromResult((200, BulkReceiver.Response(false, [BulkReceiver.Created(1), BulkReceiver.Created(2)]))));
        var stats = new LogShippingStats();
        using var sink = NewSink(receiver, stats);

        await sink.EmitBatchAsync([Event("first"), Event("second")]);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/logs-company.service1-test/_bulk", request.Path);
        Assert.Equal("application/x-ndjson", request.ContentType);
        Assert.Equal("ApiKey c2VjcmV0LWlkOnNlY3JldC1rZXk=", request.Authorization);
        Assert.EndsWith("\n", request.Body, StringComparison.Ordinal);
        Assert.Equal(4, request.Lines.Length);
        Assert.Equal("{\"create\":{}}", request.Lines[0]);
        Assert.Equal("{\"create\":{}}", request.Lines[2]);
        Assert.Equal(["first", "second"], new[] { request.Lines[1], request.Lines[3] }.Select(MessageOf));
        Assert.All(new[] { request.Lines[1], request.Lines[3] }, line =>
        {
            using var document = JsonDocument.Parse(line);
            Assert.True(document.RootElement.TryGetProperty("@timestamp", out _));
        });
        Assert.Equal(0, stats.DroppedBy(ElasticsearchSink.SinkName));
    }

    [Fact]
    public async Task A_batch_of_large_events_goes_in_requests_of_about_a_megabyte_each()
    {
        using var receiver = new BulkReceiver((_, _) => Task.FromResult((200, BulkReceiver.Response(false, []))));
        var stats = new LogShippingStats();
        using var sink = NewSink(receiver, stats);
        var path = new string('p', 40_000);

        await sink.EmitBatchAsync([.. Enumerable.Range(0, 100).Select(i => Event("{Number} {Path}",
            new LogEventProperty("Number", new ScalarValue(i)), new LogEventProperty("Path", new ScalarValue(path))))]);

        // About 8 MB in all: several requests, none larger than the limit and one line, every event once, in order.
        Assert.InRange(receiver.Requests.Count, 4, 100);
        Assert.All(receiver.Requests, request => Assert.InRange(Encoding.UTF8.GetByteCount(request.Body), 1, ElasticsearchSink.RequestBytes + 100_000));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"{i} {path}"),
            receiver.Requests.SelectMany(request => request.Lines).Where((_, index) => index % 2 == 1).Select(MessageOf));
        Assert.Equal(0, stats.DroppedBy(ElasticsearchSink.SinkName));
    }

    [Fact]
    public async Task A_partial_failure_resends_only_the_retryable_items_and_counts_the_rejected_ones()
    {
        using var receiver = new BulkReceiver((request, n) => Task.FromResult(n == 1
            ? (200, BulkReceiver.Response(true, [
                BulkReceiver.Created(1),
                BulkReceiver.Failed(429, "es_rejected_execution_exception"),
                BulkReceiver.Failed(400, "document_parsing_exception")]))
            : (200, BulkReceiver.Response(false, [BulkReceiver.Created(4)]))));
        var stats = new LogShippingStats();
        using var sink = NewSink(receiver, stats);

        await sink.EmitBatchAsync([Event("stored"), Event("throttled"), Event("unparseable")]);

        Assert.Equal(2, receiver.Requests.Count);
        var retry = receiver.Requests[1];
        Assert.Equal(2, retry.Lines.Length);
        Assert.Equal("{\"create\":{}}", retry.Lines[0]);
        Assert.Equal("throttled", MessageOf(retry.Lines[1]));
        Assert.Equal(1, stats.DroppedBy(ElasticsearchSink.SinkName));
    }

    [Fact]
    public async Task A_cluster_that_keeps_failing_gets_a_bounded_number_of_retries_then_the_batch_is_counted_as_dropped()
    {
        using var receiver = new BulkReceiver((_, _) => Task.FromResult((503, "{\"error\":\"unavailable\",\"status\":503}")));
        var stats = new LogShippingStats();
        using var sink = NewSink(receiver, stats, maxRetries: 2);

        await sink.EmitBatchAsync([Event("a"), Event("b")]);

        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(2, stats.DroppedBy(ElasticsearchSink.SinkName));
    }

    [Fact]
    public async Task Logging_never_waits_for_a_stuck_cluster_and_the_overflow_is_counted()
    {
        var release = new TaskCompletionSource();
        using var receiver = new BulkReceiver(async (_, _) =>
        {
            await release.Task;
            return (200, BulkReceiver.Response(false, []));
        });
        var stats = new LogShippingStats();
        using var sink = NewSink(receiver, stats);
        var logger = new LoggerConfiguration().WriteTo.Batched(ElasticsearchSink.SinkName, sink, stats, long.MaxValue, new Serilog.Configuration.BatchingOptions
        {
            BatchSizeLimit = 10,
            QueueLimit = 100,
            BufferingTimeLimit = TimeSpan.FromMilliseconds(10),
        }).CreateLogger();

        // The cluster has not answered the first request; logging must still return at once, dropping what the
        // bounded queue cannot hold.
        for (var i = 0; i < 5000; i++)
        {
            logger.Information("event {Number}", i);
        }

        Assert.False(release.Task.IsCompleted);
        // At most the queue (100) and the batch in flight (10) are held; everything else was dropped and counted.
        Assert.True(stats.DroppedBy(ElasticsearchSink.SinkName) >= 5000 - 110);
        release.SetResult();
        await logger.DisposeAsync();
        Assert.Equal(5000, stats.DroppedBy(ElasticsearchSink.SinkName) + receiver.Requests.Sum(r => r.Lines.Length / 2));
    }

    [Fact]
    public async Task Large_events_for_a_stuck_cluster_are_held_up_to_the_byte_bound_and_the_rest_are_counted()
    {
        var release = new TaskCompletionSource();
        using var receiver = new BulkReceiver(async (_, _) =>
        {
            await release.Task;
            return (200, BulkReceiver.Response(false, []));
        });
        var stats = new LogShippingStats();
        using var sink = NewSink(receiver, stats);
        const long limitBytes = 1024 * 1024;
        var logger = new LoggerConfiguration().WriteTo.Batched(ElasticsearchSink.SinkName, sink, stats, limitBytes, new Serilog.Configuration.BatchingOptions
        {
            BatchSizeLimit = 10,
            QueueLimit = 10_000,
            BufferingTimeLimit = TimeSpan.FromMilliseconds(10),
        }).CreateLogger();

        // 2,000 events of 16,000 distinct characters (a client's path can be that long): 64 MB, far within the
        // 10,000-event bound, held in full if nothing counted their bytes.
        const int events = 2000;
        long size = 0;
        for (var i = 0; i < events; i++)
        {
            var logEvent = Event("path {Path}", new LogEventProperty("Path", new ScalarValue(i.ToString("D6", CultureInfo.InvariantCulture) + new string('p', 15_994))));
            size = LogEventSize.Of(logEvent);
            logger.Write(logEvent);
        }

        Assert.False(release.Task.IsCompleted);
        // What was kept, the batch in flight included, fits in the bound; everything else was dropped and counted.
        var kept = events - stats.DroppedBy(ElasticsearchSink.SinkName);
        Assert.InRange(kept * size, 1, limitBytes);
        release.SetResult();
        await logger.DisposeAsync();
        Assert.Equal(events, stats.DroppedBy(ElasticsearchSink.SinkName) + receiver.Requests.Sum(r => r.Lines.Length / 2));
    }

    private static ElasticsearchSink NewSink(BulkReceiver receiver, LogShippingStats stats, int maxRetries = 3) =>
        new(new ElasticsearchOptions
        {
            Url = receiver.Url,
            Dataset = "company.service1",
            Namespace = "test",
            ApiKey = "c2VjcmV0LWlkOnNlY3JldC1rZXk=",
            MaxRetries = maxRetries,
        }, new EcsJsonFormatter("company-service1", "test", "Production"), stats, retryBaseDelay: FastRetry);

    private static LogEvent Event(string message, params LogEventProperty[] properties) =>
        new(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse(message), properties);

    private static string? MessageOf(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("message").GetString();
    }
}
