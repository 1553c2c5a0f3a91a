using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Events;
using Serilog.Parsing;

namespace Company.Service1.Tests.Platform.Logging;

/// <summary>
/// The request-completion line has two ways to stdout (see <see cref="RequestCompletionLog"/>): formatted straight
/// from the request, or as a Serilog event when other sinks need one. Both must give the same line.
/// </summary>
public sealed class RequestCompletionLineTests
{
    private static readonly EcsJsonFormatter Formatter = new("svc", "1.2.3", "Production");
    private static readonly DateTime Timestamp = new(2026, 11, 25, 23, 59, 58, 7, DateTimeKind.Utc);

    public static TheoryData<string, string, string?, int, double, bool> Requests => new()
    {
        { "GET", "/version", "/version", 200, 0.4321, true },
        { "POST", "/api/v1/todos", "/api/v1/todos/", 201, 12.5, true },
        { "GET", "/nope\"<script>\u00e9\u2028\t", null, 404, 0.01, true },
        { "GET", "/a+b&c'd`e\\f", "/{a}+{b}", 400, 0.5, true },
        { "GET", "/todos/~!$%()*,-.:;=?@[]^_{|}", "/todos/{*rest}", 200, 1e-7, true },
        { "PROPFIND", "/" + new string('x', 600), null, 405, 3, false },
        { "DELETE", "/api/v1/todos/7", "/api/v1/todos/{id}", 500, 1234.000001, true },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void The_direct_line_is_byte_for_byte_the_line_of_its_serilog_event(string method, string path, string? route, int status, double milliseconds, bool traced)
    {
        var request = new RequestCompletion(Timestamp, method, path, route, status, TimeSpan.FromMilliseconds(milliseconds),
            traced ? ActivityTraceId.CreateRandom() : default, traced ? ActivitySpanId.CreateRandom() : default);

        var direct = new ArrayBufferWriter<byte>();
        Formatter.FormatLine(request, direct);
        var viaSerilog = new ArrayBufferWriter<byte>();
        Formatter.FormatLine(RequestCompletedEvent.Create(request), viaSerilog);

        Assert.Equal(Encoding.UTF8.GetString(viaSerilog.WrittenSpan), Encoding.UTF8.GetString(direct.WrittenSpan));
        var line = JsonDocument.Parse(direct.WrittenMemory).RootElement;
        Assert.Equal($"HTTP {method} {path} responded {status}", line.GetProperty("message").GetString());
        Assert.Equal(path, line.GetProperty("url.path").GetString());
        Assert.Equal(route ?? RequestCompletion.NoRoute, line.GetProperty("http.route").GetString());
        Assert.Equal(status, line.GetProperty("http.response.status_code").GetInt32());
        Assert.Equal("2026-11-25T23:59:58.007Z", line.GetProperty("@timestamp").GetString());
        Assert.Equal(traced, line.TryGetProperty("trace.id", out _));
        Assert.Equal((byte)'\n', direct.WrittenSpan[^1]);
    }

    [Fact]
    public void Distinct_client_methods_leave_nothing_behind_once_their_events_are_written()
    {
        // Kestrel accepts any token as a method: 20,000 distinct 4 KB methods would retain about 160 MB if the event
        // cached a value per method.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 20_000; i++)
        {
            var method = i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + new string('M', 4096);
            var request = new RequestCompletion(Timestamp, method, "/caf\u00e9", null, 405, TimeSpan.FromMilliseconds(1), default, default);
            Assert.Equal(method, ((ScalarValue)RequestCompletedEvent.Create(request).Properties[RequestCompletedEvent.MethodProperty]).Value);
        }

        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(retained < 16 * 1024 * 1024, $"{retained / (1024 * 1024)} MiB retained after 20,000 distinct methods");
    }

    [Theory]
    [InlineData("/api/v1/todos/42", true)]
    [InlineData("/todos/~!$%()*,-.:;=?@[]^_{|}", true)]
    [InlineData("/caf\u00e9", false)]
    [InlineData("/a\"b", false)]
    [InlineData("/a<b", false)]
    [InlineData("/a\\b", false)]
    public void Plain_ascii_lines_come_from_the_byte_template_and_the_rest_from_their_serilog_event(string path, bool plain)
    {
        var template = new CompletionLineTemplate(JsonEncodedText.Encode("8.11.0"), JsonEncodedText.Encode("svc"),
            JsonEncodedText.Encode("1.2.3"), JsonEncodedText.Encode("Production"));
        var output = new ArrayBufferWriter<byte>();

        var written = template.TryWrite(new RequestCompletion(Timestamp, "GET", path, "/route", 200, TimeSpan.FromMilliseconds(2), default, default), output);

        Assert.Equal(plain, written);
        Assert.Equal(plain, output.WrittenCount > 0);
    }

    [Fact]
    public void Stdout_gets_completions_and_events_in_the_order_they_were_logged_and_everything_by_disposal()
    {
        // The sink disposes its output; a MemoryStream still hands its bytes over afterwards.
        var output = new MemoryStream();
        var sink = new StdoutSink(Formatter, output, new LogShippingStats());

        sink.Emit(new RequestCompletion(Timestamp, "GET", "/first", "/first", 200, TimeSpan.FromMilliseconds(1), default, default));
        sink.Emit(Event("between"));
        sink.Emit(new RequestCompletion(Timestamp, "GET", "/last", "/last", 200, TimeSpan.FromMilliseconds(1), default, default));
        sink.Dispose();

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["HTTP GET /first responded 200", "between", "HTTP GET /last responded 200"],
            lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public void Lines_beyond_the_queue_limit_are_dropped_and_counted_not_waited_for()
    {
        var output = new MemoryStream();
        var stats = new LogShippingStats();
        var sink = new StdoutSink(Formatter, output, stats, limit: 3);

        for (var i = 0; i < 5; i++)
        {
            sink.Emit(new RequestCompletion(Timestamp, "GET", $"/{i}", null, 200, TimeSpan.Zero, default, default));
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
            sink.Emit(new RequestCompletion(Timestamp, "GET", "/" + i.ToString("D5", CultureInfo.InvariantCulture) + new string('p', 7994), null, 404,
                TimeSpan.Zero, default, default));
        }

        Assert.InRange(sink.PendingBytes, 0, limitBytes);
        var dropped = stats.DroppedBy(LoggingExtensions.StdoutSinkName);
        output.Release();
        sink.Dispose();

        // Beside the queue, only the one write the loop is stuck in (at most 1 MiB of lines) was held.
        Assert.InRange(dropped, lines - ((2 * limitBytes) / 16_000) - 1, lines);
        Assert.Equal(lines, dropped + output.Lines);
    }

    private static LogEvent Event(string message) =>
        new(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse(message), []);
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
