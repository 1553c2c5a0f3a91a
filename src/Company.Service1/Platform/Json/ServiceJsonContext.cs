using System.Text.Json;
using System.Text.Json.Serialization;

namespace Company.Service1.Platform.Json;

/// <summary>
/// The platform endpoints' JSON types, source-generated so there is no reflection at run time (AOT). Each feature
/// adds a context of its own for its types (see <see cref="JsonExtensions.AddJsonTypes"/>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(BuildInfo))]
[JsonSerializable(typeof(HealthReportResponse))]
[JsonSerializable(typeof(DrillDelay))]
[JsonSerializable(typeof(DrillFaultRate))]
public sealed partial class ServiceJsonContext : JsonSerializerContext;
