using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Service.Logging;

namespace Observability.Tests.Infrastructure;

/// <summary>
/// A second logging provider next to the service's own: every event, formatted by the service's ECS formatter,
/// kept in memory as the JSON line the service writes to stdout.
/// </summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly EcsJsonFormatter _formatter = new("service", "test", "Production");
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILoggerProvider CreateProvider() =>
        new SerilogLoggerProvider(new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger(), dispose: true);

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        _formatter.Format(logEvent, writer);
        _lines.Enqueue(writer.ToString().TrimEnd('\n'));
    }

    /// <summary>The lines as JSON objects whose <c>trace.id</c> is <paramref name="traceId"/>.</summary>
    public IReadOnlyList<JsonElement> WithTraceId(string traceId) =>
        [.. Lines.Select(line => JsonDocument.Parse(line).RootElement)
            .Where(json => json.TryGetProperty("trace.id", out var id) && id.GetString() == traceId)];
}
