using System.Text.Json;
using System.Text.Json.Serialization;

namespace Company.Service1.Platform.StatusPage;

/// <summary>What the status page shows, polled from <c>/status-page/state</c>.</summary>
/// <param name="Readiness">ready, not ready or draining: the instance as a whole.</param>
/// <param name="ApiReference">The API reference's address, or null when it is off.</param>
/// <param name="Dashboard">The telemetry UI's address (<c>StatusPage:DashboardUrl</c>), or null when none is configured.</param>
public sealed record StatusPageState(
    string Version,
    string Commit,
    string Slot,
    string Instance,
    long UptimeSeconds,
    string Readiness,
    IReadOnlyList<StatusPageCheck> Checks,
    string? ApiReference,
    string OpenApiDocument,
    string? Dashboard);

/// <summary>One readiness check: its name and ready, not ready or draining. No reason: the page may be public.</summary>
public sealed record StatusPageCheck(string Name, string State);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StatusPageState))]
internal sealed partial class StatusPageJsonContext : JsonSerializerContext;
