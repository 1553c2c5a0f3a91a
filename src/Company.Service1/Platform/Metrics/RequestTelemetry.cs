using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Company.Service1.Platform.Metrics;

public static class RequestTelemetry
{
    /// <summary>
    /// Times each request once and reports it three times: to the HTTP metrics (<see cref="HttpMetrics"/>), as one
    /// completion log line (<see cref="RequestCompletionLog"/>) and on the request's server span (<see cref="ServerSpan"/>). Probes and the status page's requests are left out of all three: they would drown
    /// the real traffic (see <see cref="StatusPageEndpoints"/>), and readiness is recorded as <c>service_ready</c> by the readiness reporter instead;
    /// <c>/metrics</c> never reaches this pipeline.
    /// </summary>
    public static WebApplication UseRequestTelemetry(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<HttpMetrics>();
        var gate = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RequestCompletionLog.Category);
        var completions = app.Services.GetRequiredService<RequestCompletionLog>();
        app.Use(async (context, next) =>
        {
            if (HealthEndpoints.IsProbe(context.Request.Path) || StatusPageEndpoints.IsStatusPage(context.Request.Path))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            metrics.RequestStarted();
            var serverBody = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            var body = new CountingResponseBody(serverBody);
            context.Features.Set<IHttpResponseBodyFeature>(body);
            Exception? failure = null;
            try
            {
                await next(context);
            }
            catch (Exception exception)
            {
                failure = exception;
                throw;
            }
            finally
            {
                context.Features.Set(serverBody);
                var finished = Stopwatch.GetTimestamp();
                var elapsed = Stopwatch.GetElapsedTime(started, finished);
                // An exception that escaped every handler becomes a 500 once it leaves Kestrel's pipeline.
                var status = failure is not null && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                metrics.RequestFinished(route ?? HttpMetrics.NoRoute, context.Request.Method, status, elapsed, finished,
                    context.Request.ContentLength ?? 0, body.BytesWritten);
                var activity = Activity.Current;
                if (activity is { IsAllDataRequested: true })
                {
                    ServerSpan.Complete(activity, context, route, status, failure);
                }

                if (gate.IsEnabled(LogLevel.Information))
                {
                    completions.Write(context, activity, route, status, elapsed);
                }
            }
        });
        return app;
    }
}
