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
        ["RequestPath"] = "url.path",
        ["StatusCode"] = "http.response.status_code",
        ["Route"] = "http.route",
        [ElapsedMsProperty] = "event.duration",
        ["RequestId"] = "http.request.id",
    };

    private static readonly Dictionary<string, System.Text.Json.JsonEncodedText> EncodedFields =
        Fields.ToDictionary(pair => pair.Key, pair => System.Text.Json.JsonEncodedText.Encode(pair.Value), StringComparer.Ordinal);

    /// <summary>A duration in milliseconds; written as ECS <c>event.duration</c>, which is in nanoseconds.</summary>
    public const string ElapsedMsProperty = "ElapsedMs";

    /// <summary>
    /// ASP.NET Core's request scope repeats the trace context as properties; the event's own trace.id and span.id
    /// already carry it.
    /// </summary>
    public static bool IsRedundant(string property) => property is "TraceId" or "SpanId" or "ParentId";

    public static bool TryGetField(string property, out string field) => Fields.TryGetValue(property, out field!);

    /// <summary>The ECS field name, already JSON-encoded for the formatter.</summary>
    internal static bool TryGetEncodedField(string property, out System.Text.Json.JsonEncodedText field) =>
        EncodedFields.TryGetValue(property, out field);
}
