using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Company.Service1.Platform.Health;

/// <summary>
/// Answers <c>/readyz</c> and logs readiness only when it changes, with the failing checks' reasons: one line
/// per transition instead of an error with a stack trace on every probe while the database is down. Every result
/// also feeds <c>service_ready</c> and <c>service_readiness_changes_total</c>.
/// </summary>
public sealed partial class ReadinessReporter(ServiceMetrics metrics, ILogger<ReadinessReporter> logger)
{
    private int _lastStatus = -1;

    public Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        // Healthy and Degraded answer 200, Unhealthy 503 (the health-check middleware's mapping).
        metrics.ReadinessObserved(report.Status != HealthStatus.Unhealthy);
        var status = (int)report.Status;
        if (Interlocked.Exchange(ref _lastStatus, status) != status)
        {
            if (report.Status == HealthStatus.Healthy)
            {
                LogReady(logger);
            }
            else
            {
                var reasons = string.Join("; ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
                    .Select(e => $"{e.Key}: {HealthReportWriter.Reason(e.Value)}"));
                LogNotReady(logger, reasons);
            }
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(report.Status.ToString(), context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready: every readiness check passes")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready: {Reasons}")]
    private static partial void LogNotReady(ILogger logger, string reasons);
}
