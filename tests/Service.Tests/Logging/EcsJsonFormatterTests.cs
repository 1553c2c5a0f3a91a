using System.Diagnostics;
using System.Text.Json;
using Serilog.Events;
using Serilog.Parsing;
using Service.Logging;

namespace Service.Tests.Logging;

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
    public void Levels_use_ecs_names(LogEventLevel level, string name) => Assert.Equal(name, EcsJsonFormatter.Level(level).Value);

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
