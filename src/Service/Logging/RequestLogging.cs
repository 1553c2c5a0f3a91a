using System.Collections.Concurrent;
using System.Diagnostics;
using Serilog.Events;
using Serilog.Parsing;
using Service.Health;

namespace Service.Logging;

/// <summary>
/// One line per request when it completes: method, path, route template, status and duration (ECS
/// <c>http.request.method</c>, <c>url.path</c>, <c>http.route</c>, <c>http.response.status_code</c>,
/// <c>event.duration</c>). Probes are not logged (<c>/metrics</c> never reaches this pipeline). The query string
/// and headers are never logged: they are where tokens and secrets travel.
/// </summary>
/// <remarks>
/// This line is written for every request, so it takes a short cut: the event is built directly as a Serilog
/// <see cref="LogEvent"/> with cached properties and handed to the same Serilog pipeline (same sinks, same format),
/// instead of going through Microsoft.Extensions.Logging's formatting and scope capture, which cost several times
/// more. Whether it is written still follows <c>Logging:LogLevel</c> for <see cref="Category"/>, reloaded at run time.
/// </remarks>
public static class RequestLogging
{
    /// <summary>The category of the completion lines: <c>Logging__LogLevel__Service.Http=Warning</c> silences them.</summary>
    public const string Category = "Service.Http.Requests";

    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        var gate = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var serilog = app.Services.GetRequiredService<Serilog.ILogger>();
        app.Use(async (context, next) =>
        {
            if (HealthEndpoints.IsProbe(context.Request.Path) || !gate.IsEnabled(LogLevel.Information))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                // An exception that escaped every handler becomes a 500 once it leaves Kestrel's pipeline.
                var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                serilog.Write(RequestCompletedEvent.Create(context, status, Stopwatch.GetElapsedTime(started)));
            }
        });
        return app;
    }
}

/// <summary>Builds the request-completion <see cref="LogEvent"/> with as few allocations as a log line allows.</summary>
internal static class RequestCompletedEvent
{
    private static readonly MessageTemplate Template =
        new MessageTemplateParser().Parse("HTTP {Method} {RequestPath} responded {StatusCode} in {ElapsedMs:F1} ms (route {Route})");

    private static readonly LogEventProperty SourceContext = new("SourceContext", new ScalarValue(RequestLogging.Category));

    private static readonly LogEventProperty EventId = new("EventId", new StructureValue(
        [new LogEventProperty("Id", new ScalarValue(1)), new LogEventProperty("Name", new ScalarValue("RequestCompleted"))]));

    private static readonly LogEventProperty NoRoute = new("Route", new ScalarValue("(none)"));
    private static readonly ConcurrentDictionary<string, LogEventProperty> Methods = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, LogEventProperty> Routes = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<int, LogEventProperty> Statuses = new();

    public static LogEvent Create(HttpContext context, int status, TimeSpan elapsed)
    {
        var request = context.Request;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        LogEventProperty[] properties =
        [
            Methods.GetOrAdd(request.Method, static method => new LogEventProperty("Method", new ScalarValue(method))),
            new LogEventProperty("RequestPath", new ScalarValue(request.Path.Value ?? "/")),
            Statuses.GetOrAdd(status, static code => new LogEventProperty("StatusCode", new ScalarValue(code))),
            new LogEventProperty(EcsFieldMap.ElapsedMsProperty, new ScalarValue(elapsed.TotalMilliseconds)),
            route is null ? NoRoute : Routes.GetOrAdd(route, static raw => new LogEventProperty("Route", new ScalarValue(raw))),
            SourceContext,
            EventId,
        ];
        var activity = Activity.Current;
        return activity is null
            ? new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, Template, properties)
            : new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, Template, properties, activity.TraceId, activity.SpanId);
    }
}
