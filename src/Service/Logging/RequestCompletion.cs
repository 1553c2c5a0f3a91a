using System.Diagnostics;

namespace Service.Logging;

/// <summary>
/// What the request-completion line says about one request: method, path, route template, status and duration,
/// with the trace context it was served in. The query string and headers are not part of it: they are where tokens
/// and secrets travel.
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

    /// <summary>The request as it completes now, in the current activity's trace.</summary>
    public static RequestCompletion Of(HttpContext context, string? route, int statusCode, TimeSpan elapsed)
    {
        var activity = Activity.Current;
        return new(DateTime.UtcNow, context.Request.Method, context.Request.Path.Value ?? "/", route, statusCode, elapsed,
            activity?.TraceId ?? default, activity?.SpanId ?? default);
    }

    /// <summary>The message of the line: duration and route are fields of their own, so it stays short.</summary>
    public int FormatMessage(Span<char> destination)
    {
        var written = 0;
        Append(destination, ref written, "HTTP ");
        Append(destination, ref written, Method);
        Append(destination, ref written, " ");
        Append(destination, ref written, Path);
        Append(destination, ref written, " responded ");
        StatusCode.TryFormat(destination[written..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        return written + digits;

        static void Append(Span<char> destination, ref int written, string text)
        {
            text.CopyTo(destination[written..]);
            written += text.Length;
        }
    }

    /// <summary>An upper bound of <see cref="FormatMessage"/>'s length.</summary>
    public int MessageLengthLimit => "HTTP ".Length + Method.Length + 1 + Path.Length + " responded ".Length + 11;
}
