using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using Serilog.Events;
using Serilog.Parsing;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// The one line written for every request: <c>HTTP {Method} {RequestPath} responded {StatusCode}</c> with ECS
/// <c>http.request.method</c>, <c>url.path</c>, <c>http.route</c>, <c>http.response.status_code</c> and
/// <c>event.duration</c>, in the request's trace. The query string and headers are not part of it: they are where
/// tokens and secrets travel. It is built directly as a Serilog <see cref="LogEvent"/> with cached property values,
/// instead of going through Microsoft.Extensions.Logging's formatting and state capture, which cost several times more.
/// </summary>
public sealed class RequestCompletionLog(Serilog.ILogger logger)
{
    /// <summary>The category of the completion lines: <c>Logging__LogLevel__Company.Service1.Http=Warning</c> silences them.</summary>
    public const string Category = "Company.Service1.Http.Requests";

    /// <summary>The route written when no endpoint matched the request.</summary>
    public const string NoRoute = "(none)";

    internal const string MethodProperty = "Method";

    private static readonly MessageTemplate Template =
        new MessageTemplateParser().Parse("HTTP {Method} {RequestPath} responded {StatusCode}");

    private static readonly LogEventPropertyValue SourceContext = new ScalarValue(Category);

    // Microsoft.Extensions.Logging's event id of the line (ECS event.code and event.action).
    private static readonly LogEventPropertyValue EventId = new StructureValue(
        [new LogEventProperty("Id", new ScalarValue(1)), new LogEventProperty("Name", new ScalarValue("RequestCompleted"))]);

    // Only values from sets the client cannot grow are cached: the standard methods (Kestrel accepts any token as a
    // method), the app's own route templates, and the status codes the server sets.
    private static readonly FrozenDictionary<string, LogEventPropertyValue> Methods = new[]
    {
        HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete,
        HttpMethods.Options, HttpMethods.Trace, HttpMethods.Connect,
    }.ToFrozenDictionary(method => method, LogEventPropertyValue (method) => new ScalarValue(method), StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, LogEventPropertyValue> Routes = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<int, LogEventPropertyValue> Statuses = new();

    /// <summary>Writes the line of <paramref name="context"/>'s request, completing now in <paramref name="activity"/>'s trace.</summary>
    public void Write(HttpContext context, Activity? activity, string? route, int statusCode, TimeSpan elapsed) =>
        logger.Write(Create(DateTimeOffset.UtcNow, context.Request.Method, context.Request.Path.Value ?? "/", route, statusCode, elapsed,
            activity?.TraceId ?? default, activity?.SpanId ?? default));

    internal static LogEvent Create(DateTimeOffset timestamp, string method, string path, string? route, int statusCode, TimeSpan elapsed,
        ActivityTraceId traceId, ActivitySpanId spanId)
    {
        var properties = new Dictionary<string, LogEventPropertyValue>(7, StringComparer.Ordinal)
        {
            [MethodProperty] = Methods.GetValueOrDefault(method) ?? new ScalarValue(method),
            ["RequestPath"] = new ScalarValue(path),
            ["StatusCode"] = Statuses.GetOrAdd(statusCode, static code => new ScalarValue(code)),
            [EcsFieldMap.ElapsedMsProperty] = new ScalarValue(elapsed.TotalMilliseconds),
            ["Route"] = Routes.GetOrAdd(route ?? NoRoute, static raw => new ScalarValue(raw)),
            ["SourceContext"] = SourceContext,
            ["EventId"] = EventId,
        };
        return LogEvent.UnstableAssembleFromParts(timestamp, LogEventLevel.Information, null, Template, properties, traceId, spanId);
    }
}
