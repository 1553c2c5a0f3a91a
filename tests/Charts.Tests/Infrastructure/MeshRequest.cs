using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Charts.Tests.Infrastructure;

/// <summary>
/// A request as Istio's VirtualService sees it: which gateway it came through ("mesh" for a sidecar), its method,
/// path and headers. <see cref="RouteIn"/> picks the route Envoy would take: the first whose match list has an entry
/// the request satisfies (an entry without gateways applies on every gateway the VirtualService binds).
/// </summary>
public sealed record MeshRequest(string Gateway, string Method, string Path, IReadOnlyDictionary<string, string>? Headers = null)
{
    public JsonObject? RouteIn(JsonObject virtualService)
    {
        var bound = virtualService.At("spec.gateways") is JsonArray g ? g.Select(x => x!.ToString()).ToList() : ["mesh"];
        if (!bound.Contains(Gateway))
        {
            return null;
        }

        return virtualService.Objects("spec.http").FirstOrDefault(route =>
            route.At("match") is not JsonArray matches || matches.Count == 0 || matches.OfType<JsonObject>().Any(Satisfies));
    }

    private bool Satisfies(JsonObject match)
    {
        if (match.At("gateways") is JsonArray gateways && !gateways.Any(x => x!.ToString() == Gateway))
        {
            return false;
        }

        return Matches(match.At("uri"), Path)
            && Matches(match.At("method"), Method)
            && (match.At("headers") is not JsonObject headers
                || headers.All(h => Headers?.TryGetValue(h.Key, out var value) == true && Matches(h.Value, value)));
    }

    /// <summary>An Istio StringMatch: exact, prefix or (RE2, whole-string) regex; no condition matches anything.</summary>
    private static bool Matches(JsonNode? condition, string value) => condition switch
    {
        null => true,
        _ when condition.Text("exact") is { } exact => value == exact,
        _ when condition.Text("prefix") is { } prefix => value.StartsWith(prefix, StringComparison.Ordinal),
        _ when condition.Text("regex") is { } regex => Regex.IsMatch(value, $"^(?:{regex})$", RegexOptions.None, TimeSpan.FromSeconds(1)),
        _ => throw new NotSupportedException($"unknown string match {condition.ToJsonString()}"),
    };
}
