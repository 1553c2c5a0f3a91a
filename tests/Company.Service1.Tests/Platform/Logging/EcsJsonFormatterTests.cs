using System.Diagnostics;
using System.Text.Json;
using Serilog.Events;
using Serilog.Parsing;

namespace Company.Service1.Tests.Platform.Logging;

public sealed class EcsJsonFormatterTests
{
    private static readonly MessageTemplateParser Parser = new();

    [Fact]
    public void A_line_carries_the_ecs_core_fields_and_maps_known_properties()
    {
        var entry = Format(LogEventLevel.Warning, "Database unavailable during {Method} {Path}", null,
            ("Method", new ScalarValue("GET")), ("Path", new ScalarValue("/api/v1/todos")), ("Attempt", new ScalarValue(3)));

        Assert.Equal("warn", entry.GetProperty("log.level").GetString());
        Assert.Equal("Database unavailable during GET /api/v1/todos", entry.GetProperty("message").GetString());
        Assert.Equal("GET", entry.GetProperty("http.request.method").GetString());
        Assert.Equal("/api/v1/todos", entry.GetProperty("url.path").GetString());
        Assert.Equal(3, entry.GetProperty("labels").GetProperty("Attempt").GetInt64());
        Assert.Equal("svc", entry.GetProperty("service.name").GetString());
        Assert.EndsWith("Z", entry.GetProperty("@timestamp").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_fills_the_error_fields()
    {
        var entry = Format(LogEventLevel.Error, "boom", new InvalidOperationException("it broke"));

        Assert.Equal("error", entry.GetProperty("log.level").GetString());
        Assert.Equal("System.InvalidOperationException", entry.GetProperty("error.type").GetString());
        Assert.Equal("it broke", entry.GetProperty("error.message").GetString());
    }

    [Fact]
    public void The_event_id_becomes_event_code_and_action()
    {
        var eventId = new StructureValue([new LogEventProperty("Id", new ScalarValue(14)), new LogEventProperty("Name", new ScalarValue("ListeningOnAddress"))]);
        var entry = Format(LogEventLevel.Information, "listening", null, ("EventId", eventId), ("Done", new ScalarValue(true)), ("Ratio", new ScalarValue(0.5)), ("Nothing", new ScalarValue(null)));

        Assert.Equal("14", entry.GetProperty("event.code").GetString());
        Assert.Equal("ListeningOnAddress", entry.GetProperty("event.action").GetString());
        Assert.True(entry.GetProperty("labels").GetProperty("Done").GetBoolean());
        Assert.Equal(0.5, entry.GetProperty("labels").GetProperty("Ratio").GetDouble());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("labels").GetProperty("Nothing").ValueKind);
    }

    [Theory]
    [InlineData(LogEventLevel.Verbose, "trace")]
    [InlineData(LogEventLevel.Debug, "debug")]
    [InlineData(LogEventLevel.Information, "info")]
    [InlineData(LogEventLevel.Fatal, "fatal")]
    public void Levels_use_ecs_names(LogEventLevel level, string name) =>
        Assert.Equal(name, Format(level, "leveled", null).GetProperty("log.level").GetString());

    [Fact]
    public void Trace_and_span_ids_are_written_when_the_event_has_them()
    {
        var trace = ActivityTraceId.CreateRandom();
        var span = ActivitySpanId.CreateRandom();
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, Parser.Parse("traced"), [], trace, span);
        using var writer = new StringWriter();

        new EcsJsonFormatter("svc", "1.0.0", "Test").Format(logEvent, writer);

        var entry = JsonDocument.Parse(writer.ToString()).RootElement;
        Assert.Equal(trace.ToHexString(), entry.GetProperty("trace.id").GetString());
        Assert.Equal(span.ToHexString(), entry.GetProperty("span.id").GetString());
    }

    [Fact]
    public void Messages_render_formats_unquoted_strings_structures_and_missing_properties()
    {
        var entry = Format(LogEventLevel.Information, "took {Elapsed:F1} ms at {Host} with {Options} and {Missing}", null,
            ("Elapsed", new ScalarValue(12.345)), ("Host", new ScalarValue("db \"primary\"")),
            ("Options", new StructureValue([new LogEventProperty("Retries", new ScalarValue(2))])));

        Assert.Equal("took 12.3 ms at db \"primary\" with { Retries: 2 } and {Missing}", entry.GetProperty("message").GetString());
    }

    [Fact]
    public void A_long_message_is_rendered_whole_and_the_next_line_does_not_repeat_it()
    {
        var text = new string('x', 5000);

        var first = Format(LogEventLevel.Information, "{Text}", null, ("Text", new ScalarValue(text)));
        var second = Format(LogEventLevel.Information, "short {Code}", null, ("Code", new ScalarValue(7)));

        Assert.Equal(text, first.GetProperty("message").GetString());
        Assert.Equal("short 7", second.GetProperty("message").GetString());
    }

    [Fact]
    public void Timestamps_are_utc_with_milliseconds_and_durations_become_nanoseconds()
    {
        var at = new DateTimeOffset(2026, 1, 31, 23, 59, 58, 7, TimeSpan.FromHours(2));
        var logEvent = new LogEvent(at, LogEventLevel.Information, null, Parser.Parse("done"),
            [new LogEventProperty(EcsFieldMap.ElapsedMsProperty, new ScalarValue(1.5)), new LogEventProperty("TraceId", new ScalarValue("repeated"))]);
        using var writer = new StringWriter();

        new EcsJsonFormatter("svc", "1.0.0", "Test").Format(logEvent, writer);

        var entry = JsonDocument.Parse(writer.ToString()).RootElement;
        Assert.Equal("2026-01-31T21:59:58.007Z", entry.GetProperty("@timestamp").GetString());
        Assert.Equal(1_500_000, entry.GetProperty("event.duration").GetInt64());
        Assert.False(entry.TryGetProperty("labels", out _), "the scope's trace id repeats trace.id and is not written");
    }

    [Theory]
    [InlineData("plain /api/v1/todos?x=1")]
    [InlineData("quote \" and backslash \\")]
    [InlineData("line\nfeed, tab\t, bell\u0007, nul\u0000")]
    [InlineData("<script>&'+`")]
    [InlineData("café, 日本, emoji \U0001F600")]
    public void Any_text_in_a_message_a_field_or_a_label_reads_back_as_it_was(string text)
    {
        var entry = Format(LogEventLevel.Information, "{Path} {Host}", null, ("Path", new ScalarValue(text)), ("Host", new ScalarValue(text)));

        Assert.Equal(text + " " + text, entry.GetProperty("message").GetString());
        Assert.Equal(text, entry.GetProperty("url.path").GetString());
        Assert.Equal(text, entry.GetProperty("labels").GetProperty("Host").GetString());
    }

    [Fact]
    public void Numbers_keep_their_value_and_ones_json_cannot_hold_become_text()
    {
        var entry = Format(LogEventLevel.Information, "numbers", null,
            ("Small", new ScalarValue(long.MinValue)), ("Tenth", new ScalarValue(0.1)), ("Huge", new ScalarValue(1e300)),
            ("Money", new ScalarValue(12.25m)), ("Unknown", new ScalarValue(double.NaN)), ("Endless", new ScalarValue(double.NegativeInfinity)));
        var labels = entry.GetProperty("labels");

        Assert.Equal(long.MinValue, labels.GetProperty("Small").GetInt64());
        Assert.Equal(0.1, labels.GetProperty("Tenth").GetDouble());
        Assert.Equal(1e300, labels.GetProperty("Huge").GetDouble());
        Assert.Equal(12.25, labels.GetProperty("Money").GetDouble());
        Assert.Equal("NaN", labels.GetProperty("Unknown").GetString());
        Assert.Equal("-Infinity", labels.GetProperty("Endless").GetString());
    }

    private static JsonElement Format(LogEventLevel level, string template, Exception? exception, params (string Name, LogEventPropertyValue Value)[] properties)
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, level, exception, Parser.Parse(template), properties.Select(p => new LogEventProperty(p.Name, p.Value)));
        using var writer = new StringWriter();
        new EcsJsonFormatter("svc", "1.0.0", "Test").Format(logEvent, writer);
        var text = writer.ToString();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return JsonDocument.Parse(text).RootElement;
    }
}
