namespace Service.Logging;

/// <summary>
/// Properties our log messages carry that have an ECS home of their own; everything else goes under
/// <c>labels</c>. Keeping the names here lets message templates stay readable ("{Method} {Path}").
/// </summary>
public static class EcsFieldMap
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["SourceContext"] = "log.logger",
        ["Method"] = "http.request.method",
        ["Path"] = "url.path",
        ["StatusCode"] = "http.response.status_code",
        ["Route"] = "http.route",
        ["ElapsedMs"] = "event.duration_ms",
        ["RequestId"] = "http.request.id",
    };

    public static bool TryGetField(string property, out string field) => Fields.TryGetValue(property, out field!);
}
