using System.Text.Json;
using System.Text.Json.Serialization;

namespace Company.Service1.Todos;

/// <summary>The todos API's JSON types: source-generated, so no reflection at run time (AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Todo))]
[JsonSerializable(typeof(TodoInput))]
[JsonSerializable(typeof(TodoPage))]
public sealed partial class TodosJsonContext : JsonSerializerContext;
