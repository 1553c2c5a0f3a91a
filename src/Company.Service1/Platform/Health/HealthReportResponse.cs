namespace Company.Service1.Platform.Health;

/// <summary>The <c>/healthz</c> body: overall status and one entry per check.</summary>
public sealed record HealthReportResponse(string Status, double TotalDurationMs, IReadOnlyList<HealthCheckEntry> Checks);

public sealed record HealthCheckEntry(string Name, string Status, double DurationMs, string? Reason);
