using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Company.Service1.Platform.Health;

/// <summary>Writes the full report for humans and dashboards. Reasons are short and never carry secrets.</summary>
public static class HealthReportWriter
{
    private const int MaxReasonLength = 300;

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        var body = new HealthReportResponse(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 2),
            report.Entries.Select(e => new HealthCheckEntry(
                e.Key,
                e.Value.Status.ToString(),
                Math.Round(e.Value.Duration.TotalMilliseconds, 2),
                Reason(e.Value))).ToList());
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, ServiceJsonContext.Default.HealthReportResponse, context.RequestAborted);
    }

    /// <summary>
    /// The check's own description, else the exception's message. Npgsql messages name host and port but never
    /// the password; the connection string itself is never part of any message.
    /// </summary>
    internal static string? Reason(HealthReportEntry entry)
    {
        var reason = entry.Description ?? (entry.Exception is null ? null : $"{entry.Exception.GetType().Name}: {entry.Exception.Message}");
        if (reason is null && entry.Status != HealthStatus.Healthy)
        {
            reason = "check timed out or failed without a reason";
        }

        return reason is { Length: > MaxReasonLength } ? reason[..MaxReasonLength] : reason;
    }
}
