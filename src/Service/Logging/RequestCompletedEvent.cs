using System.Collections.Concurrent;
using System.Diagnostics;
using Serilog.Events;
using Serilog.Parsing;

namespace Service.Logging;

/// <summary>
/// The line written when a request completes: method, path, route template, status and duration (ECS
/// <c>http.request.method</c>, <c>url.path</c>, <c>http.route</c>, <c>http.response.status_code</c>,
/// <c>event.duration</c>). The query string and headers are never logged: they are where tokens and secrets travel.
/// </summary>
/// <remarks>
/// Written for every request, so it takes a short cut: the event is built directly as a Serilog <see cref="LogEvent"/>
/// with cached properties and handed to the same Serilog pipeline (same sinks, same format), instead of going through
/// Microsoft.Extensions.Logging's formatting and scope capture, which cost several times more. Whether it is written
/// still follows <c>Logging:LogLevel</c> for <see cref="Category"/>, reloaded at run time.
/// </remarks>
internal static class RequestCompletedEvent
{
    /// <summary>The category of the completion lines: <c>Logging__LogLevel__Service.Http=Warning</c> silences them.</summary>
    public const string Category = "Service.Http.Requests";

    private static readonly MessageTemplate Template =
        // Duration and route are fields of their own (event.duration, http.route); the message stays short because
        // it is rendered for every request.
        new MessageTemplateParser().Parse("HTTP {Method} {RequestPath} responded {StatusCode}");

    private static readonly LogEventPropertyValue SourceContext = new ScalarValue(Category);

    private static readonly LogEventPropertyValue EventId = new StructureValue(
        [new LogEventProperty("Id", new ScalarValue(1)), new LogEventProperty("Name", new ScalarValue("RequestCompleted"))]);

    private static readonly LogEventPropertyValue NoRoute = new ScalarValue("(none)");
    private static readonly ConcurrentDictionary<string, LogEventPropertyValue> Values = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<int, LogEventPropertyValue> Statuses = new();

    public static LogEvent Create(HttpContext context, string? route, int status, TimeSpan elapsed)
    {
        var request = context.Request;
        // Method and route values repeat from a small set; only the path and the duration are new per request.
        var properties = new Dictionary<string, LogEventPropertyValue>(7, StringComparer.Ordinal)
        {
            ["Method"] = Values.GetOrAdd(request.Method, static method => new ScalarValue(method)),
            ["RequestPath"] = new ScalarValue(request.Path.Value ?? "/"),
            ["StatusCode"] = Statuses.GetOrAdd(status, static code => new ScalarValue(code)),
            [EcsFieldMap.ElapsedMsProperty] = new ScalarValue(elapsed.TotalMilliseconds),
            ["Route"] = route is null ? NoRoute : Values.GetOrAdd(route, static raw => new ScalarValue(raw)),
            ["SourceContext"] = SourceContext,
            ["EventId"] = EventId,
        };
        var activity = Activity.Current;
        return LogEvent.UnstableAssembleFromParts(DateTimeOffset.UtcNow, LogEventLevel.Information, null, Template, properties,
            activity?.TraceId ?? default, activity?.SpanId ?? default);
    }
}
