using System.Text.Json;
using System.Text.Json.Serialization;
using Company.Service1.Drills;
using Company.Service1.Health;
using Company.Service1.Todos;
using Company.Service1.Version;

namespace Company.Service1.Json;

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
