using System.Collections.Concurrent;
using System.Diagnostics;
using Prometheus;

namespace Company.Service1.Platform.Metrics;

/// <summary>
/// The service's one source of HTTP metrics: duration, request and response body sizes per status code, method and
/// route template, plus requests in progress. Recorded once per request by <c>UseRequestTelemetry</c>.
/// </summary>
/// <remarks>
/// Written here rather than taken from prometheus-net's <c>UseHttpMetrics</c>: that middleware builds a label array
/// and looks the series up by its label values on every request, and offers no body sizes. Here a request costs one
/// dictionary lookup by (route, method, code) to reach the three series it feeds, and exemplars are only built when
/// one is due. Measured on this machine: prometheus-net's middleware 2–5 µs a request, these metrics under 0.1 µs
/// (the HTTP metrics row of "Where the time goes" in docs/observability.md). When prometheus-net's middleware, or
/// ASP.NET Core's own <c>http.server.request.duration</c> meter exported through prometheus-net, costs about as
/// little and carries the body sizes, delete this class and <see cref="CountingResponseBody"/> and use that.
/// </remarks>
public sealed class HttpMetrics
{
    /// <summary>
    /// Latency buckets in seconds. The SLO thresholds in the alert rules and dashboards (0.25 s, 0.5 s) must stay
    /// bucket bounds, or their ratios become interpolations.
    /// </summary>
    internal static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Body size buckets in bytes: 100 B to 10 MB by powers of ten.</summary>
    internal static readonly double[] SizeBuckets = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

    /// <summary>At most one exemplar per series this often: enough to jump from a latency spike to its trace.</summary>
    internal static readonly TimeSpan ExemplarInterval = TimeSpan.FromSeconds(10);

    /// <summary>The <c>route</c> label of requests no route matched (404, 405): one series, not one per path.</summary>
    public const string NoRoute = "";

    /// <summary>The <c>method</c> label of methods outside the standard set, so a client cannot mint label values.</summary>
    public const string OtherMethod = "_OTHER";

    /// <summary>
    /// Not <c>endpoint</c>: prometheus-operator sets that target label to the scraped port's name, and a scraped label
    /// of the same name would be moved to <c>exported_endpoint</c>.
    /// </summary>
    private static readonly string[] Labels = ["code", "method", "route"];
    private static readonly long ExemplarIntervalTicks = (long)(ExemplarInterval.TotalSeconds * Stopwatch.Frequency);

    /// <summary>No exemplar unless one is passed: prometheus-net would otherwise build one on every observation.</summary>
    private static readonly ExemplarBehavior OnlyExplicitExemplars = new() { DefaultExemplarProvider = (_, _) => Exemplar.None };

    private readonly Histogram _duration;
    private readonly Histogram _requestSize;
    private readonly Histogram _responseSize;
    private readonly Gauge _inProgress;
    private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();

    public HttpMetrics(ServiceMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var factory = metrics.Factory;
        _duration = factory.CreateHistogram("http_request_duration_seconds",
            "Duration of HTTP requests by status code, method and route template.", Labels,
            new HistogramConfiguration { Buckets = DurationBuckets, ExemplarBehavior = OnlyExplicitExemplars });
        _requestSize = factory.CreateHistogram("http_request_size_bytes",
            "Request body sizes by status code, method and route template (the Content-Length; 0 without one).", Labels,
            new HistogramConfiguration { Buckets = SizeBuckets, ExemplarBehavior = OnlyExplicitExemplars });
        _responseSize = factory.CreateHistogram("http_response_size_bytes",
            "Response body bytes written, by status code, method and route template.", Labels,
            new HistogramConfiguration { Buckets = SizeBuckets, ExemplarBehavior = OnlyExplicitExemplars });
        // One series per instance: saturation is about how many, and per-route labels would cost a lookup twice
        // per request.
        _inProgress = factory.CreateGauge("http_requests_in_progress", "HTTP requests being served right now.");
    }

    public void RequestStarted() => _inProgress.Inc();

    /// <param name="finished">When the request finished, as a <see cref="Stopwatch"/> timestamp.</param>
    public void RequestFinished(string route, string method, int status, TimeSpan duration, long finished, long requestBytes, long responseBytes)
    {
        _inProgress.Dec();
        var series = _series.GetOrAdd(new SeriesKey(route, Method(method), status), Create);
        var seconds = duration.TotalSeconds;
        if (ExemplarDue(series, finished))
        {
            series.Duration.Observe(seconds, Exemplar.FromTraceContext());
        }
        else
        {
            series.Duration.Observe(seconds);
        }

        series.RequestSize.Observe(requestBytes);
        series.ResponseSize.Observe(responseBytes);
    }

    /// <summary>True at most once per <see cref="ExemplarInterval"/> per series, and only inside a recorded trace.</summary>
    private static bool ExemplarDue(Series series, long now)
    {
        if (Activity.Current is not { Recorded: true })
        {
            return false;
        }

        var due = Volatile.Read(ref series.NextExemplar);
        return now >= due && Interlocked.CompareExchange(ref series.NextExemplar, now + ExemplarIntervalTicks, due) == due;
    }

    /// <summary>The standard methods as they are (interned, so the key compares cheaply); anything else is one value.</summary>
    private static string Method(string method) => method switch
    {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "TRACE" => "TRACE",
        "CONNECT" => "CONNECT",
        _ => OtherMethod,
    };

    private Series Create(SeriesKey key)
    {
        string[] values = [key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), key.Method, key.Route];
        return new Series(_duration.WithLabels(values), _requestSize.WithLabels(values), _responseSize.WithLabels(values));
    }

    private readonly record struct SeriesKey(string Route, string Method, int Status);

    private sealed class Series(Histogram.Child duration, Histogram.Child requestSize, Histogram.Child responseSize)
    {
        public readonly Histogram.Child Duration = duration;
        public readonly Histogram.Child RequestSize = requestSize;
        public readonly Histogram.Child ResponseSize = responseSize;
        public long NextExemplar;
    }
}
