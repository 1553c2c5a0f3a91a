using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serilog;
using Serilog.Events;
using Serilog.Parsing;

namespace Company.Service1.Tests.Platform.Logging;

/// <summary>The line written for every request, and how it reaches stdout.</summary>
public sealed class RequestCompletionLogTests
{
    private static readonly EcsJsonFormatter Formatter = new("svc", "1.2.3", "Production");
    private static readonly DateTimeOffset Timestamp = new(2026, 11, 25, 23, 59, 58, 7, TimeSpan.Zero);

    // The lines as the service has always written them: what dashboards, saved searches and alerts are built on. Field
    // order, names, level, message and escaping are all part of it, and they are the same whether the line goes through
    // stdout's byte template or through its Serilog event (to Elasticsearch, OTLP, or when a value needs escaping).
    [Theory]
    [InlineData("GET", "/api/v1/todos/7", "/api/v1/todos/{id}", 200, true,
        """{"@timestamp":"2026-11-25T23:59:58.007Z","log.level":"info","message":"HTTP GET /api/v1/todos/7 responded 200","ecs.version":"8.11.0","service.name":"svc","service.version":"1.2.3","service.environment":"Production","trace.id":"0af7651916cd43dd8448eb211c80319c","span.id":"b7ad6b7169203331","http.request.method":"GET","url.path":"/api/v1/todos/7","http.response.status_code":200,"event.duration":1250000,"http.route":"/api/v1/todos/{id}","log.logger":"Company.Service1.Http.Requests","event.code":"1","event.action":"RequestCompleted"}""")]
    [InlineData("DELETE", "/api/v1/todos/7", null, 404, false,
        """{"@timestamp":"2026-11-25T23:59:58.007Z","log.level":"info","message":"HTTP DELETE /api/v1/todos/7 responded 404","ecs.version":"8.11.0","service.name":"svc","service.version":"1.2.3","service.environment":"Production","http.request.method":"DELETE","url.path":"/api/v1/todos/7","http.response.status_code":404,"event.duration":1250000,"http.route":"(none)","log.logger":"Company.Service1.Http.Requests","event.code":"1","event.action":"RequestCompleted"}""")]
    [InlineData("PROPFIND", "/caf\u00e9\"<", null, 405, false,
        """{"@timestamp":"2026-11-25T23:59:58.007Z","log.level":"info","message":"HTTP PROPFIND /caf\u00E9\u0022\u003C responded 405","ecs.version":"8.11.0","service.name":"svc","service.version":"1.2.3","service.environment":"Production","http.request.method":"PROPFIND","url.path":"/caf\u00E9\u0022\u003C","http.response.status_code":405,"event.duration":1250000,"http.route":"(none)","log.logger":"Company.Service1.Http.Requests","event.code":"1","event.action":"RequestCompleted"}""")]
    public void The_completion_line_users_see_is_unchanged_and_the_same_both_ways(string method, string path, string? route, int status, bool traced, string expected)
    {
        var request = new RequestCompletion(Timestamp.UtcDateTime, method, path, route, status, TimeSpan.FromMilliseconds(1.25),
            traced ? ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c") : default,
            traced ? ActivitySpanId.CreateFromString("b7ad6b7169203331") : default);
        var fromTemplate = new ArrayBufferWriter<byte>();
        var fromEvent = new ArrayBufferWriter<byte>();

        Formatter.FormatLine(request, fromTemplate);
        Formatter.FormatLine(RequestCompletionLog.Create(request), fromEvent);

        Assert.Equal(expected + "\n", Encoding.UTF8.GetString(fromTemplate.WrittenSpan));
        Assert.Equal(expected + "\n", Encoding.UTF8.GetString(fromEvent.WrittenSpan));
    }

    [Fact]
    public void Distinct_client_methods_leave_nothing_behind_once_their_events_are_written()
    {
        // Kestrel accepts any token as a method: 20,000 distinct 4 KB methods would retain about 160 MB if the event
        // cached a value per method.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 20_000; i++)
        {
            var method = i.ToString("D8", CultureInfo.InvariantCulture) + new string('M', 4096);
            var logEvent = RequestCompletionLog.Create(Request("/caf\u00e9", method) with { StatusCode = 405 });
            Assert.Equal(method, ((ScalarValue)logEvent.Properties[RequestCompletionLog.MethodProperty]).Value);
        }

        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(retained < 16 * 1024 * 1024, $"{retained / (1024 * 1024)} MiB retained after 20,000 distinct methods");
    }

    [Fact]
    public void Stdout_gets_every_line_in_the_order_it_was_logged_by_disposal()
    {
        // The sink disposes its output; a MemoryStream still hands its bytes over afterwards.
        var output = new MemoryStream();
        var sink = new StdoutSink(Formatter, output, new LogShippingStats());

        sink.Emit(Request("/first"));
        sink.Emit(new LogEvent(Timestamp, LogEventLevel.Information, null, new MessageTemplateParser().Parse("between"), []));
        sink.Emit(Completion("/then"));
        sink.Emit(Request("/last"));
        sink.Dispose();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["HTTP GET /first responded 200", "between", "HTTP GET /then responded 200", "HTTP GET /last responded 200"],
            lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_line_skips_serilog_only_when_stdout_is_its_one_destination(bool stdoutOnly)
    {
        var output = new MemoryStream();
        var sink = new StdoutSink(Formatter, output, new LogShippingStats());
        var events = new List<LogEvent>();
        using var logger = new LoggerConfiguration().WriteTo.Sink(new CapturingSink(events)).CreateLogger();
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/version";

        new RequestCompletionLog(logger, stdoutOnly ? sink : null).Write(context, null, "/version", 200, TimeSpan.FromMilliseconds(2));
        sink.Dispose();

        var written = Encoding.UTF8.GetString(output.ToArray());
        if (stdoutOnly)
        {
            Assert.Equal("HTTP GET /version responded 200", JsonDocument.Parse(written).RootElement.GetProperty("message").GetString());
            Assert.Empty(events);
        }
        else
        {
            Assert.Empty(written);
            Assert.Equal("HTTP GET /version responded 200", Assert.Single(events).RenderMessage(CultureInfo.InvariantCulture).Replace("\"", "", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Lines_beyond_the_queue_limit_are_dropped_and_counted_not_waited_for()
    {
        var output = new MemoryStream();
        var stats = new LogShippingStats();
        var sink = new StdoutSink(Formatter, output, stats, limit: 3);

        for (var i = 0; i < 5; i++)
        {
            sink.Emit(Completion($"/{i}"));
        }

        sink.Dispose();

        // The background loop may already have written some lines, making room for others; none is lost silently.
        var written = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.InRange(written, 3, 5);
        Assert.Equal(5 - written, stats.DroppedBy(LoggingExtensions.StdoutSinkName));
    }

    [Fact]
    public void Long_lines_for_a_stalled_stdout_are_held_up_to_the_byte_bound_and_the_rest_are_counted()
    {
        using var output = new StalledStream();
        var stats = new LogShippingStats();
        const long limitBytes = 1024 * 1024;
        var sink = new StdoutSink(Formatter, output, stats, limitBytes: limitBytes);

        // 2,000 paths of 8,000 characters (Kestrel's request line allows them): 32 MB, far within the 100,000-line
        // bound, all held while nobody reads stdout if nothing counted their bytes.
        const int lines = 2000;
        for (var i = 0; i < lines; i++)
        {
            // Both ways a line reaches the queue: the completion's values as they are, and a Serilog event.
            var path = "/" + i.ToString("D5", CultureInfo.InvariantCulture) + new string('p', 7994);
            if (i % 2 == 0)
            {
                sink.Emit(Request(path));
            }
            else
            {
                sink.Emit(Completion(path));
            }
        }

        Assert.InRange(sink.PendingBytes, 0, limitBytes);
        var dropped = stats.DroppedBy(LoggingExtensions.StdoutSinkName);
        output.Release();
        sink.Dispose();

        // Beside the queue, only the one write the loop is stuck in (at most 1 MiB of lines) was held.
        Assert.InRange(dropped, lines - ((2 * limitBytes) / 16_000) - 1, lines);
        Assert.Equal(lines, dropped + output.Lines);
    }

    [Fact]
    public void Lines_the_async_wrapper_of_the_readable_format_turns_away_are_counted_as_stdout_drops()
    {
        using var stalled = new ManualResetEventSlim();
        var stats = new LogShippingStats();
        var logger = new LoggerConfiguration()
            .WriteTo.Async(to => to.Sink(new StalledSink(stalled)), bufferSize: 2, blockWhenFull: false, monitor: stats.MonitorFor(LoggingExtensions.StdoutSinkName))
            .CreateLogger();

        for (var i = 0; i < 10; i++)
        {
            logger.Write(Completion($"/{i}"));
        }

        // At most one line is being written and two wait; the other seven or more were dropped, and stay counted
        // once the wrapper is gone.
        Assert.InRange(stats.DroppedBy(LoggingExtensions.StdoutSinkName), 7, 10);
        stalled.Set();
        logger.Dispose();
        Assert.InRange(stats.DroppedBy(LoggingExtensions.StdoutSinkName), 7, 10);
    }

    [Theory]
    [InlineData(LogFormat.Auto, true, false, true)]
    [InlineData(LogFormat.Auto, true, true, false)]
    [InlineData(LogFormat.Auto, false, false, false)]
    [InlineData(LogFormat.Auto, false, true, false)]
    [InlineData(LogFormat.Text, false, true, true)]
    [InlineData(LogFormat.Json, true, false, false)]
    public void Lines_are_readable_text_only_in_development_at_a_terminal_unless_a_format_is_forced(
        LogFormat format, bool development, bool redirected, bool text) =>
        Assert.Equal(text, LoggingExtensions.WritesText(format, development, redirected));

    private static RequestCompletion Request(string path, string method = "GET") =>
        new(Timestamp.UtcDateTime, method, path, null, 200, TimeSpan.FromMilliseconds(1), default, default);

    private static LogEvent Completion(string path) => RequestCompletionLog.Create(Request(path));
}

/// <summary>A sink that keeps every event it is given.</summary>
internal sealed class CapturingSink(List<LogEvent> events) : Serilog.Core.ILogEventSink
{
    public void Emit(LogEvent logEvent) => events.Add(logEvent);
}

/// <summary>A sink that takes no event until it is released.</summary>
internal sealed class StalledSink(ManualResetEventSlim released) : Serilog.Core.ILogEventSink
{
    public void Emit(LogEvent logEvent) => released.Wait();
}

/// <summary>Standard output whose reader has stopped reading: writes block until <see cref="Release"/>.</summary>
internal sealed class StalledStream : MemoryStream
{
    private readonly ManualResetEventSlim _released = new();

    public int Lines { get; private set; }

    public void Release() => _released.Set();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _released.Wait();
        Lines += buffer.Count((byte)'\n');
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _released.Dispose();
        }

        base.Dispose(disposing);
    }
}
