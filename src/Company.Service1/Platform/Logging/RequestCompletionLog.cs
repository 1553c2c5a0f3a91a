using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using Serilog.Events;
using Serilog.Parsing;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// The one line written for every request: <c>HTTP {Method} {RequestPath} responded {StatusCode}</c> with ECS
/// <c>http.request.method</c>, <c>url.path</c>, <c>http.route</c>, <c>http.response.status_code</c> and
/// <c>event.duration</c>, in the request's trace (<see cref="RequestCompletion"/>). For Serilog's sinks it is built
/// directly as a <see cref="LogEvent"/> with cached property values, instead of going through
/// Microsoft.Extensions.Logging's formatting and state capture, which cost several times more.
/// </summary>
/// <remarks>
/// When stdout's ECS JSON is the only destination (the default), the line never becomes a <see cref="LogEvent"/>: its
/// values are queued for the stdout writer as they are and spliced into a byte template (<see cref="CompletionLineTemplate"/>).
/// Measured with <c>bench/completion-line.sh</c>, that costs a fifth of the CPU of the event and allocates nothing;
/// without it the service's <c>/version</c> throughput fell 5-8 points against the bare API
/// (bench/results/request-path-guard.md). Both ways give the same bytes (RequestCompletionLogTests). Remove the
/// short cut if Serilog gains a way to format an event without allocating it.
/// </remarks>
/// <param name="logger">The logger every other line goes to.</param>
/// <param name="stdoutOnly">The logger's stdout sink, when it is the logger's only sink.</param>
public sealed class RequestCompletionLog(Serilog.ILogger logger, StdoutSink? stdoutOnly = null)
{
    /// <summary>The category of the completion lines: <c>Logging__LogLevel__Company.Service1.Http=Warning</c> silences them.</summary>
    public const string Category = "Company.Service1.Http.Requests";

    /// <summary>Microsoft.Extensions.Logging's event id of the line (ECS <c>event.code</c> and <c>event.action</c>).</summary>
    internal const int EventIdNumber = 1;

    internal const string EventIdName = "RequestCompleted";

    // The event's property names; EcsFieldMap says which ECS field each becomes.
    internal const string MethodProperty = "Method";
    internal const string PathProperty = "RequestPath";
    internal const string StatusCodeProperty = "StatusCode";
    internal const string RouteProperty = "Route";
    internal const string LoggerProperty = "SourceContext";

    private static readonly MessageTemplate Template =
        new MessageTemplateParser().Parse("HTTP {Method} {RequestPath} responded {StatusCode}");

    private static readonly LogEventPropertyValue SourceContext = new ScalarValue(Category);

    private static readonly LogEventPropertyValue EventId = new StructureValue(
        [new LogEventProperty("Id", new ScalarValue(EventIdNumber)), new LogEventProperty("Name", new ScalarValue(EventIdName))]);

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
    public void Write(HttpContext context, Activity? activity, string? route, int statusCode, TimeSpan elapsed)
    {
        var request = new RequestCompletion(DateTime.UtcNow, context.Request.Method, context.Request.Path.Value ?? "/", route, statusCode,
            elapsed, activity?.TraceId ?? default, activity?.SpanId ?? default);
        if (stdoutOnly is { } stdout)
        {
            stdout.Emit(request);
        }
        else
        {
            logger.Write(Create(request));
        }
    }

    /// <summary>The line as a Serilog event.</summary>
    internal static LogEvent Create(in RequestCompletion request)
    {
        var properties = new Dictionary<string, LogEventPropertyValue>(7, StringComparer.Ordinal)
        {
            [MethodProperty] = Methods.GetValueOrDefault(request.Method) ?? new ScalarValue(request.Method),
            [PathProperty] = new ScalarValue(request.Path),
            [StatusCodeProperty] = Statuses.GetOrAdd(request.StatusCode, static code => new ScalarValue(code)),
            [EcsFieldMap.ElapsedMsProperty] = new ScalarValue(request.Elapsed.TotalMilliseconds),
            [RouteProperty] = Routes.GetOrAdd(request.Route ?? RequestCompletion.NoRoute, static raw => new ScalarValue(raw)),
            [LoggerProperty] = SourceContext,
            ["EventId"] = EventId,
        };
        return LogEvent.UnstableAssembleFromParts(new DateTimeOffset(request.Timestamp), LogEventLevel.Information, null, Template,
            properties, request.TraceId, request.SpanId);
    }
}
