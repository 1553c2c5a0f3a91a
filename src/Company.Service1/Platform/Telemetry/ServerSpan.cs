using System.Diagnostics;
using System.Globalization;

namespace Company.Service1.Platform.Telemetry;

/// <summary>
/// Completes the server span that ASP.NET Core opened for a request: route, status code, protocol version, user
/// agent, the span name "METHOD route" and the error status, as OpenTelemetry's HTTP server semantic conventions ask.
/// </summary>
/// <remarks>
/// ASP.NET Core 10 tags its request activity only at the start (method, scheme, path, server address: what a
/// sampler may look at); ASP.NET Core 11 also tags it at the end. Until then the end tags are set here, where
/// the request telemetry already holds route and status, instead of through OpenTelemetry's ASP.NET Core
/// instrumentation and its DiagnosticListener callbacks on every request. That instrumentation adds about 2.4 µs a
/// request by its own benchmark (opentelemetry-dotnet-contrib PR #4091); this span, the activity and
/// <see cref="RequestSampler"/> included, about 0.3 µs (the tracing row of "Where the time goes" in
/// docs/observability.md). When ASP.NET Core tags the activity at the end itself, or that instrumentation costs about
/// as little, delete this class and RequestSampler and use <c>AddAspNetCoreInstrumentation</c> with a filter for
/// the probes and <c>/metrics</c> and a parent-based ratio sampler.
/// </remarks>
internal static class ServerSpan
{
    private const int MaxUserAgentLength = 256;

    // Status codes are boxed once each: the tag value is an object, and this runs for every recorded request.
    private static readonly object?[] StatusCodes = new object?[600];

    public static void Complete(Activity activity, HttpContext context, string? route, int statusCode, Exception? exception)
    {
        object boxed = (uint)statusCode < (uint)StatusCodes.Length ? StatusCodes[statusCode] ??= statusCode : statusCode;
        activity.SetTag("http.response.status_code", boxed);
        if (ProtocolVersion(context.Request.Protocol) is { } version)
        {
            activity.SetTag("network.protocol.version", version);
        }

        if (context.Request.Headers.UserAgent is [{ Length: > 0 } userAgent, ..])
        {
            // Cut, because the exporter queues up to 2,048 spans while a collector is slow, and a client may send
            // up to Kestrel's 32 KiB of headers as its user agent: 256 characters hold every real browser's.
            activity.SetTag("user_agent.original", userAgent.Length <= MaxUserAgentLength ? userAgent : userAgent[..MaxUserAgentLength]);
        }

        if (route is not null)
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = string.Concat(context.Request.Method, " ", route);
        }
        else
        {
            activity.DisplayName = context.Request.Method;
        }

        if (exception is not null)
        {
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        }
        else if (statusCode >= 500)
        {
            // A 4xx is the client's error, not the server's: only 5xx mark a server span as failed.
            activity.SetTag("error.type", statusCode.ToString(CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    private static string? ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        "HTTP/1.0" => "1.0",
        _ => null,
    };
}
