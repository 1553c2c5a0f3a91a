using System.Diagnostics;
using Observability.Tests.Infrastructure;

namespace Observability.Tests.Tracing;

/// <summary>Sampling is parent-based: the ratio decides only for traces that start here.</summary>
[Collection(RunsAlone.Name)]
public sealed class SamplingTests : IDisposable
{
    private readonly TracedService _service = new(new Dictionary<string, string?> { ["Telemetry:SamplingRatio"] = "0" });

    [Fact]
    public async Task With_ratio_0_a_caller_that_sampled_its_trace_is_still_recorded_but_new_traces_are_not()
    {
        var sampled = ActivityTraceId.CreateRandom().ToHexString();
        var notSampled = ActivityTraceId.CreateRandom().ToHexString();

        await GetVersionAsync($"00-{notSampled}-{ActivitySpanId.CreateRandom().ToHexString()}-00");
        await GetVersionAsync(null);
        await GetVersionAsync($"00-{sampled}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        await Eventually.HoldsAsync(() => _service.Spans().Any(s => s.TraceId.ToHexString() == sampled), "the sampled trace is exported");
        Assert.Single(_service.ServerSpans());
    }

    public void Dispose() => _service.Dispose();

    private async Task GetVersionAsync(string? traceparent)
    {
        using var response = await _service.GetAsync("/version", traceparent);
        response.EnsureSuccessStatusCode();
    }
}
