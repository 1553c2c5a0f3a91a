using System.Collections.Frozen;
using System.Text.Json;

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

    /// <summary>Every property name the formatter treats specially, classified once; one lookup per property.</summary>
    private static readonly FrozenDictionary<string, EcsProperty> Known = Fields
        .Select(pair => KeyValuePair.Create(pair.Key, new EcsProperty(
            pair.Key == ElapsedMsProperty ? EcsPropertyKind.Duration : EcsPropertyKind.Field, JsonEncodedText.Encode(pair.Value))))
        .Append(KeyValuePair.Create("EventId", new EcsProperty(EcsPropertyKind.EventId, default)))
        // ASP.NET Core's request scope repeats the trace context as properties; the event's own trace.id and span.id
        // already carry it.
        .Concat(new[] { "TraceId", "SpanId", "ParentId" }.Select(name => KeyValuePair.Create(name, new EcsProperty(EcsPropertyKind.Redundant, default))))
        .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>A duration in milliseconds; written as ECS <c>event.duration</c>, which is in nanoseconds.</summary>
    public const string ElapsedMsProperty = "ElapsedMs";

    /// <summary>How the formatter writes a property: an ECS field (name already JSON-encoded), or under <c>labels</c>.</summary>
    internal static EcsProperty Classify(string property) => Known.GetValueOrDefault(property);
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
