using System.Diagnostics;

namespace Observability.Tests.Infrastructure;

/// <summary>
/// One real OTLP receiver (the Aspire Dashboard) shared by every test class of the collection, so CI starts it once.
/// Each test class runs its own copy of the published service under its own <c>OTEL_SERVICE_NAME</c> and reads back
/// only what that name sent.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OtlpReceiver : ICollectionFixture<OtlpReceiver.Dashboard>
{
    public const string Name = "otlp-receiver";

    public sealed class Dashboard : IAsyncLifetime
    {
        private AspireDashboard? _dashboard;

        public AspireDashboard Receiver => _dashboard ?? throw new InvalidOperationException("The receiver has not started.");

        public async Task InitializeAsync() => _dashboard = await AspireDashboard.StartAsync();

        public async Task DisposeAsync()
        {
            if (_dashboard is not null)
            {
                await _dashboard.DisposeAsync();
            }
        }
    }

    /// <summary>A fresh W3C context with the sampled flag: (trace id, parent span id, traceparent header).</summary>
    public static (string TraceId, string ParentId, string Traceparent) NewContext(bool sampled = true)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var parentId = ActivitySpanId.CreateRandom().ToHexString();
        return (traceId, parentId, $"00-{traceId}-{parentId}-{(sampled ? "01" : "00")}");
    }

    /// <summary>
    /// Sends a request with a fresh sampled context through <paramref name="send"/>, and again every 2 s, until a span
    /// of one of those traces is in what <paramref name="read"/> returns: a batch the receiver turns down is not
    /// retried, so one lost batch must not decide a test. Returns every context sent (trace id to parent span id) and
    /// the spans read last.
    /// </summary>
    public static async Task<(IReadOnlyDictionary<string, string> Parents, IReadOnlyList<ReceivedSpan> Spans)> SendUntilASpanArrivesAsync(
        Func<string, Task> send, Func<Task<IReadOnlyList<ReceivedSpan>>> read, string what, ServiceProcess service)
    {
        var parents = new Dictionary<string, string>();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ReceivedSpan> spans = [];
        while (!spans.Any(span => parents.ContainsKey(span.TraceId)))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"Timed out waiting until {what}.\n{service.Describe()}");
            }

            var (traceId, parentId, traceparent) = NewContext();
            parents[traceId] = parentId;
            await send(traceparent);
            for (var poll = 0; poll < 20 && !spans.Any(span => parents.ContainsKey(span.TraceId)); poll++)
            {
                await Task.Delay(100);
                spans = await read();
            }
        }

        return (parents, spans);
    }

    /// <summary>Polls the receiver until <paramref name="condition"/> holds for what it returns, and returns that.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, ServiceProcess? service = null)
    {
        // Export runs every 200 ms in these tests (OTEL_BSP_SCHEDULE_DELAY); 30 s is for a loaded 2-core machine.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Timed out waiting until {what}.\n{service?.Describe()}");
            }

            await Task.Delay(100);
        }
    }
}
