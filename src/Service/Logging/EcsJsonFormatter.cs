using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace Service.Logging;

/// <summary>
/// One JSON object per line in Elastic Common Schema field names, so Filebeat, Fluent Bit or the OpenTelemetry
/// Collector ship it into Elasticsearch unchanged. Written by hand because Elastic's ECS formatter package is not
/// available to this build; it follows the ecs-logging spec (flat dotted keys, @timestamp/log.level/message first).
/// </summary>
public sealed class EcsJsonFormatter(string serviceName, string serviceVersion, string environment) : ITextFormatter
{
    public const string EcsVersion = "8.11.0";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    // Reused per thread: formatting runs on the sinks' background loops, one event after another.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static StringWriter? t_message;

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        FormatLine(logEvent, buffer);
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Appends the event as one UTF-8 JSON object and a line feed.</summary>
    public void FormatLine(LogEvent logEvent, IBufferWriter<byte> output)
    {
        FormatObject(logEvent, output);
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary>Appends the event as one UTF-8 JSON object, without a line feed.</summary>
    public void FormatObject(LogEvent logEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var json = t_writer;
        if (json is null)
        {
            json = t_writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            json.Reset(output);
        }

        Write(json, logEvent);
        json.Flush();
    }

    private void Write(Utf8JsonWriter json, LogEvent logEvent)
    {
        json.WriteStartObject();
        Span<char> timestamp = stackalloc char[32];
        logEvent.Timestamp.UtcDateTime.TryFormat(timestamp, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        json.WriteString("@timestamp", timestamp[..written]);
        json.WriteString("log.level", Level(logEvent.Level));
        json.WriteString("message", RenderMessage(logEvent));
        json.WriteString("ecs.version", EcsVersion);
        json.WriteString("service.name", serviceName);
        json.WriteString("service.version", serviceVersion);
        json.WriteString("service.environment", environment);
        if (logEvent.TraceId is { } traceId)
        {
            // ToHexString returns the id's own cached string: no allocation.
            json.WriteString("trace.id", traceId.ToHexString());
        }

        if (logEvent.SpanId is { } spanId)
        {
            json.WriteString("span.id", spanId.ToHexString());
        }

        if (logEvent.Exception is { } exception)
        {
            json.WriteString("error.type", exception.GetType().FullName);
            json.WriteString("error.message", exception.Message);
            json.WriteString("error.stack_trace", exception.ToString());
        }

        // Properties with an ECS home first, then the rest under "labels" (JSON objects cannot be reopened).
        var hasLabels = false;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (EcsFieldMap.IsRedundant(name))
            {
                continue;
            }

            if (name == "EventId" && value is StructureValue eventId)
            {
                WriteEventId(json, eventId);
            }
            else if (name == EcsFieldMap.ElapsedMsProperty && value is ScalarValue { Value: double or float or int or long } elapsed)
            {
                // ECS event.duration is in nanoseconds.
                json.WriteNumber("event.duration", (long)(Convert.ToDouble(elapsed.Value, CultureInfo.InvariantCulture) * 1_000_000));
            }
            else if (EcsFieldMap.TryGetField(name, out var field))
            {
                WriteValue(json, field, value);
            }
            else
            {
                hasLabels = true;
            }
        }

        if (hasLabels)
        {
            json.WriteStartObject("labels");
            foreach (var (name, value) in logEvent.Properties)
            {
                if (name != "EventId" && !EcsFieldMap.IsRedundant(name) && !EcsFieldMap.TryGetField(name, out _))
                {
                    WriteValue(json, name, value);
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, string name, LogEventPropertyValue value)
    {
        if (value is ScalarValue scalar)
        {
            switch (scalar.Value)
            {
                case null:
                    json.WriteNull(name);
                    return;
                case bool b:
                    json.WriteBoolean(name, b);
                    return;
                case int or long or short or byte or uint or ulong or ushort or sbyte:
                    json.WriteNumber(name, Convert.ToInt64(scalar.Value, CultureInfo.InvariantCulture));
                    return;
                case double or float or decimal:
                    json.WriteNumber(name, Convert.ToDouble(scalar.Value, CultureInfo.InvariantCulture));
                    return;
                case string s:
                    json.WriteString(name, s);
                    return;
                default:
                    json.WriteString(name, Convert.ToString(scalar.Value, CultureInfo.InvariantCulture));
                    return;
            }
        }

        json.WriteString(name, value.ToString());
    }

    /// <summary>
    /// The message with string values as they are: Serilog's own rendering quotes them ("at \"host\""),
    /// which reads badly in Kibana and breaks substring searches.
    /// </summary>
    internal static string RenderMessage(LogEvent logEvent)
    {
        var writer = t_message ??= new StringWriter(CultureInfo.InvariantCulture);
        writer.GetStringBuilder().Clear();
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property
                && logEvent.Properties.TryGetValue(property.PropertyName, out var value)
                && value is ScalarValue { Value: string text })
            {
                writer.Write(text);
            }
            else
            {
                token.Render(logEvent.Properties, writer, CultureInfo.InvariantCulture);
            }
        }

        return writer.ToString();
    }

    /// <summary>Microsoft.Extensions.Logging's EventId becomes event.code (its number) and event.action (its name).</summary>
    private static void WriteEventId(Utf8JsonWriter json, StructureValue eventId)
    {
        foreach (var property in eventId.Properties)
        {
            if (property is { Name: "Id", Value: ScalarValue { Value: int id } })
            {
                json.WriteString("event.code", id.ToString(CultureInfo.InvariantCulture));
            }
            else if (property is { Name: "Name", Value: ScalarValue { Value: string name } })
            {
                json.WriteString("event.action", name);
            }
        }
    }

    /// <summary>ECS level names (lower case, as the ecs-logging libraries write them).</summary>
    internal static string Level(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "trace",
        LogEventLevel.Debug => "debug",
        LogEventLevel.Information => "info",
        LogEventLevel.Warning => "warn",
        LogEventLevel.Error => "error",
        _ => "fatal",
    };
}
