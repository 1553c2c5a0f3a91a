using System.Collections.Frozen;
using System.Text.Json;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Properties our log messages carry that have an ECS home of their own; everything else goes under
/// <c>labels</c>. Keeping the names here lets message templates stay readable ("{Method} {Path}").
/// </summary>
public static class EcsFieldMap
{
    private static readonly EcsProperty Redundant = new(EcsPropertyKind.Redundant, default);

    /// <summary>Every property name the formatter treats specially, classified once: one lookup per property.</summary>
    private static readonly FrozenDictionary<string, EcsProperty> Known = new Dictionary<string, EcsProperty>(StringComparer.Ordinal)
    {
        ["SourceContext"] = Field("log.logger"),
        ["Method"] = Field("http.request.method"),
        ["Path"] = Field("url.path"),
        ["RequestPath"] = Field("url.path"),
        ["StatusCode"] = Field("http.response.status_code"),
        ["Route"] = Field("http.route"),
        ["RequestId"] = Field("http.request.id"),
        [ElapsedMsProperty] = new(EcsPropertyKind.Duration, JsonEncodedText.Encode("event.duration")),
        ["EventId"] = new(EcsPropertyKind.EventId, default),
        // ASP.NET Core's request scope repeats the trace context; the event's own trace.id and span.id carry it.
        ["TraceId"] = Redundant,
        ["SpanId"] = Redundant,
        ["ParentId"] = Redundant,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>A duration in milliseconds; written as ECS <c>event.duration</c>, which is in nanoseconds.</summary>
    public const string ElapsedMsProperty = "ElapsedMs";

    /// <summary>How the formatter writes a property: an ECS field (name already JSON-encoded), or under <c>labels</c>.</summary>
    internal static EcsProperty Classify(string property) => Known.GetValueOrDefault(property);

    private static EcsProperty Field(string name) => new(EcsPropertyKind.Field, JsonEncodedText.Encode(name));
}

internal enum EcsPropertyKind
{
    /// <summary>No ECS home: written under <c>labels</c>.</summary>
    Label,

    /// <summary>Written as its ECS field.</summary>
    Field,

    /// <summary>Milliseconds, written as ECS <c>event.duration</c> in nanoseconds.</summary>
    Duration,

    /// <summary>Microsoft.Extensions.Logging's event id: <c>event.code</c> and <c>event.action</c>.</summary>
    EventId,

    /// <summary>Repeats what the event already carries (the trace context): not written.</summary>
    Redundant,
}

internal readonly record struct EcsProperty(EcsPropertyKind Kind, JsonEncodedText Field);
