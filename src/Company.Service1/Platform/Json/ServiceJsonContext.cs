using System.Text.Json;
using System.Text.Json.Serialization;
using Company.Service1.Platform.Drills;
using Company.Service1.Platform.Health;
using Company.Service1.Platform.Version;
using Company.Service1.Todos;

namespace Company.Service1.Platform.Json;

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
