using System.Diagnostics;
using Service.Health;

namespace Service.Logging;

/// <summary>
/// One line per request when it completes: method, path, route template, status and duration (ECS
/// <c>http.request.method</c>, <c>url.path</c>, <c>http.route</c>, <c>http.response.status_code</c>,
/// <c>event.duration</c>). Probes are not logged (<c>/metrics</c> never reaches this pipeline). The query string
/// and headers are never logged: they are where tokens and secrets travel.
/// </summary>
public static partial class RequestLogging
{
    /// <summary>The category of the completion lines: <c>Logging__LogLevel__Service.Http=Warning</c> silences them.</summary>
    public const string Category = "Service.Http.Requests";

    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        app.Use(async (context, next) =>
        {
            if (HealthEndpoints.IsProbe(context.Request.Path) || !logger.IsEnabled(LogLevel.Information))
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
                var elapsed = Stopwatch.GetElapsedTime(started);
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(none)";
                // An exception that escaped every handler becomes a 500 once it leaves Kestrel's pipeline.
                var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                LogCompleted(logger, context.Request.Method, context.Request.Path.Value ?? "/", status, elapsed.TotalMilliseconds, route);
            }
        });
        return app;
    }

    [LoggerMessage(EventId = 1, EventName = "RequestCompleted", Level = LogLevel.Information,
        Message = "HTTP {Method} {RequestPath} responded {StatusCode} in {ElapsedMs:0.0} ms (route {Route})")]
    private static partial void LogCompleted(ILogger logger, string method, string requestPath, int statusCode, double elapsedMs, string route);
}
