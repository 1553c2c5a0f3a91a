using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Observability.Tests.Infrastructure;

/// <summary>
/// The service's log events, formatted by the service's ECS formatter and kept in memory as the JSON lines the
/// service writes to stdout: a second Microsoft.Extensions.Logging provider next to the service's own, and the
/// Serilog logger the request-completion line is written to.
/// </summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly EcsJsonFormatter _formatter = new("company-service1", "test", "Production");
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>For Microsoft.Extensions.Logging: everything logged through ILogger.</summary>
    public ILoggerProvider CreateProvider() => new SerilogLoggerProvider(CreateLogger(), dispose: true);

    /// <summary>For the request-completion line, which is written to Serilog directly (<see cref="RequestCompletionLog"/>).</summary>
    public Serilog.ILogger CreateLogger() => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

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
