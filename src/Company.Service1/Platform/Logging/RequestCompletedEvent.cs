using System.Collections.Concurrent;
using System.Collections.Frozen;
using Serilog.Events;
using Serilog.Parsing;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// The request-completion line as a Serilog event (ECS <c>http.request.method</c>, <c>url.path</c>,
/// <c>http.route</c>, <c>http.response.status_code</c>, <c>event.duration</c>), for when it goes to more sinks than
/// stdout. It is built directly as a <see cref="LogEvent"/> with cached property values, instead of going through
/// Microsoft.Extensions.Logging's formatting and scope capture, which cost several times more.
/// </summary>
internal static class RequestCompletedEvent
{
    /// <summary>The category of the completion lines: <c>Logging__LogLevel__Service.Http=Warning</c> silences them.</summary>
    public const string Category = "Company.Service1.Http.Requests";

    /// <summary>The Microsoft.Extensions.Logging event id of the line (ECS <c>event.code</c> and <c>event.action</c>).</summary>
    public const int EventIdNumber = 1;

    public const string EventIdName = "RequestCompleted";

    // The event's property names; EcsFieldMap says which ECS field each becomes.
    public const string MethodProperty = "Method";
    public const string PathProperty = "RequestPath";
    public const string StatusCodeProperty = "StatusCode";
    public const string RouteProperty = "Route";
    public const string LoggerProperty = "SourceContext";

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

    public static LogEvent Create(in RequestCompletion request)
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
