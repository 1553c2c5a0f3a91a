using System.Text.Json.Nodes;

namespace Charts.Tests.Infrastructure;

/// <summary>Small readers for JSON paths such as "spec.template.spec".</summary>
public static class Json
{
    public static JsonNode? At(this JsonNode? node, string path)
    {
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node;
    }

    public static string? Text(this JsonNode? node, string path) =>
        node.At(path) is JsonValue v ? v.ToString() : null;

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, string path) =>
        node.At(path) is JsonArray a ? a.OfType<JsonObject>() : [];

    public static IReadOnlyDictionary<string, string> Labels(this JsonNode? node, string path) =>
        node.At(path) is JsonObject o
            ? o.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.ToString())
            : new Dictionary<string, string>();

    public static bool Selects(this IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);
}
