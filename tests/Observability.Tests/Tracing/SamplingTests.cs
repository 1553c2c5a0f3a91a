using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Observability.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace Observability.Tests.Tracing;

/// <summary>Sampling is parent-based: the ratio decides only for traces that start here.</summary>
public sealed class SamplingTests : IDisposable
{
    private readonly List<Activity> _spans = [];

    // Tracer providers listen process-wide, so spans of other tests' hosts can reach this exporter; this test's
    // requests are told apart by their user agent.
    private readonly string _userAgent = $"sampling-test-{Guid.NewGuid():N}";
    private readonly KestrelServiceFactory _service;

    public SamplingTests()
    {
        _service = new KestrelServiceFactory(
            new Dictionary<string, string?> { ["Telemetry:SamplingRatio"] = "0" },
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans))).Start();
    }

    [Fact]
    public async Task With_ratio_0_a_caller_that_sampled_its_trace_is_still_recorded_but_new_traces_are_not()
    {
        var sampled = ActivityTraceId.CreateRandom().ToHexString();
        var notSampled = ActivityTraceId.CreateRandom().ToHexString();

        await GetVersionAsync($"00-{notSampled}-{ActivitySpanId.CreateRandom().ToHexString()}-00");
        await GetVersionAsync(null);
        await GetVersionAsync($"00-{sampled}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        await Eventually.HoldsAsync(() => Spans().Any(s => s.TraceId.ToHexString() == sampled), "the sampled trace is exported");
        Assert.Single(Spans(), s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("user_agent.original"), _userAgent));
    }

    public void Dispose() => _service.Dispose();

    private Activity[] Spans()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    private async Task GetVersionAsync(string? traceparent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }

        using var response = await _service.App.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
