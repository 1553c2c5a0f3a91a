using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Observability.Tests.Infrastructure;

/// <summary>
/// The service in-process with its spans kept in memory. Tracer providers listen process-wide, so other tests' hosts
/// can export into this list too: this instance's requests carry a user agent of their own, and
/// <see cref="ServerSpans"/> returns only their server spans.
/// </summary>
public sealed class TracedService : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly string _userAgent = $"traced-service-test-{Guid.NewGuid():N}";
    private readonly KestrelServiceFactory _service;

    public TracedService(IReadOnlyDictionary<string, string?> settings)
    {
        _service = new KestrelServiceFactory(settings,
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans))).Start();
    }

    /// <summary>
    /// A GET of <paramref name="path"/> with this instance's user agent (followed by <paramref name="userAgentTail"/>)
    /// and, if given, a <c>traceparent</c>.
    /// </summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? traceparent = null, string userAgentTail = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent + userAgentTail);
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }

        return await _service.App.SendAsync(request);
    }

    /// <summary>Every span exported so far, this instance's and any other host's.</summary>
    public Activity[] Spans()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    /// <summary>The server spans of this instance's requests.</summary>
    public Activity[] ServerSpans() =>
        [.. Spans().Where(span => span.Kind == ActivityKind.Server
            && span.GetTagItem("user_agent.original") is string userAgent && userAgent.StartsWith(_userAgent, StringComparison.Ordinal))];

    public void Dispose() => _service.Dispose();
}
