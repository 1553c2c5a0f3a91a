using System.Diagnostics;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// What the request-completion line says about one request: method, path, route template, status and duration, in the
/// trace it was served in. The query string and headers are not part of it: they are where tokens and secrets travel.
/// </summary>
public readonly record struct RequestCompletion(
    DateTime Timestamp,
    string Method,
    string Path,
    string? Route,
    int StatusCode,
    TimeSpan Elapsed,
    ActivityTraceId TraceId,
    ActivitySpanId SpanId)
{
    /// <summary>The route written when no endpoint matched the request.</summary>
    public const string NoRoute = "(none)";
}
