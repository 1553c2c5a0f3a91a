using System.Text.Json;
using System.Text.Json.Serialization;
using Service.Drills;
using Service.Health;
using Service.Todos;
using Service.Version;

namespace Service.Json;

/// <summary>Every type the service reads or writes as JSON: source-generated, so no reflection at run time (AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Todo))]
[JsonSerializable(typeof(TodoInput))]
[JsonSerializable(typeof(TodoPage))]
[JsonSerializable(typeof(BuildInfo))]
[JsonSerializable(typeof(HealthReportResponse))]
[JsonSerializable(typeof(DrillDelay))]
[JsonSerializable(typeof(DrillFaultRate))]
public sealed partial class ServiceJsonContext : JsonSerializerContext;
