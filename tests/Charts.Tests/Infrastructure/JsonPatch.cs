using System.Text.Json.Nodes;

namespace Charts.Tests.Infrastructure;

/// <summary>The "test" and "replace" operations of RFC 6902 JSON Patch, as the API server applies them.</summary>
public static class JsonPatch
{
    public static void Apply(JsonObject document, string patch)
    {
        foreach (var operation in JsonNode.Parse(patch)!.AsArray().OfType<JsonObject>())
        {
            var path = operation["path"]!.GetValue<string>();
            var segments = path.Split('/')[1..].Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            JsonNode parent = document;
            foreach (var segment in segments[..^1])
            {
                parent = parent is JsonArray a ? a[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)]! : parent[segment]
                    ?? throw new InvalidOperationException($"path {path} does not exist");
            }

            var last = segments[^1];
            var current = parent is JsonArray array ? array[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] : parent[last];
            if (current is null)
            {
                throw new InvalidOperationException($"path {path} does not exist");
            }

            var value = operation["value"]!.DeepClone();
            switch (operation["op"]!.GetValue<string>())
            {
                case "test" when !JsonNode.DeepEquals(current, value):
                    throw new InvalidOperationException($"test failed at {path}: {current.ToJsonString()} != {value.ToJsonString()}");
                case "test":
                    break;
                case "replace" when parent is JsonArray list:
                    list[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
                    break;
                case "replace":
                    parent[last] = value;
                    break;
                default:
                    throw new NotSupportedException(operation.ToJsonString());
            }
        }
    }
}
