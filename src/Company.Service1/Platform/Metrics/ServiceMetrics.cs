using System.Diagnostics.Metrics;
using Prometheus;

namespace Company.Service1.Platform.Metrics;

/// <summary>
/// The instance's Prometheus registry and the service's own metrics. A registry per host (not prometheus-net's
/// static default) so several hosts in one process, as in the integration tests, never mix their series.
/// </summary>
public sealed class ServiceMetrics : IDisposable
{
    /// <summary>
    /// Meters (System.Diagnostics.Metrics) exported through the registry. ASP.NET Core's hosting, routing and rate
    /// limiting meters are left out on purpose: HTTP traffic is measured once, by <see cref="HttpMetrics"/>, and those
    /// meters would cost a measurement per request for a second copy of the same numbers.
    /// </summary>
    internal static readonly string[] ExportedMeters =
    [
        "System.Runtime",
        "Microsoft.AspNetCore.Server.Kestrel",
//#if (postgres)
        "Npgsql",
//#endif
    ];

    private readonly Counter _rateLimitRejections;
    private readonly Gauge _ready;
    private readonly Counter _readinessChanges;
    private int _lastReadiness = -1;
    private readonly IDisposable _meterAdapter;

    public ServiceMetrics(DrainState drain, BuildInfo build, LogShippingStats logShipping, OtlpSpanExport spanExport)
    {
        ArgumentNullException.ThrowIfNull(spanExport);
        ArgumentNullException.ThrowIfNull(drain);
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(logShipping);
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry);
        _meterAdapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Factory,
            InstrumentFilterPredicate = instrument => ExportedMeters.Contains(instrument.Meter.Name, StringComparer.Ordinal),
        });

        // Named like the resource attributes service.version and deployment.slot, not version and slot: the chart's
        // ServiceMonitor copies the pod labels slot and version onto the target, which would move same-named labels
        // of the service to exported_version and exported_slot.
        Factory.CreateGauge("service_build_info", "Always 1; the labels say what is running: version, commit and blue-green slot.",
            ["service_version", "commit", "deployment_slot"]).WithLabels(build.Version, build.Commit, build.Slot).Set(1);
        _rateLimitRejections = Factory.CreateCounter("service_rate_limit_rejections_total",
            "Requests answered 429 by the rate limiter, by the limit they hit: instance or client.", ["limit"]);
        // Both series exist from the start, at 0, so a query for either has data before the first rejection.
        _rateLimitRejections.WithLabels(ApiRateLimit.Instance);
        _rateLimitRejections.WithLabels(ApiRateLimit.Client);
        _ready = Factory.CreateGauge("service_ready", "1 if the last readiness probe answered 200, 0 if it answered otherwise.");
        _readinessChanges = Factory.CreateCounter("service_readiness_changes_total",
            "How often the readiness probe's answer flipped between ready and not ready.");
        var draining = Factory.CreateGauge("service_draining", "1 while the instance drains after SIGTERM (readiness is 503), else 0.");
        var dropped = Factory.CreateCounter("service_log_events_dropped_total",
            "Log events a shipping sink gave up on (queue full, rejected, or retries exhausted).", ["sink"]);
        var droppedSpans = Factory.CreateCounter("service_spans_dropped_total",
            "Spans the OTLP exporter gave up on (queue full while the collector was slow or away, or a batch it did not take).");
        Registry.AddBeforeCollectCallback(() =>
        {
            draining.Set(drain.IsDraining ? 1 : 0);
            droppedSpans.IncTo(spanExport.Dropped);
            foreach (var (sink, count) in logShipping.Dropped)
            {
                dropped.WithLabels(sink).IncTo(count);
            }
        });
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    /// <summary>Counts a 429; <paramref name="limit"/> is one of the limiter's own names, never request data.</summary>
    public void RateLimitRejected(string limit) => _rateLimitRejections.WithLabels(limit).Inc();

    /// <summary>Records what the readiness probe answered, so a flapping instance shows up in Prometheus.</summary>
    public void ReadinessObserved(bool ready)
    {
        var now = ready ? 1 : 0;
        _ready.Set(now);
        var before = Interlocked.Exchange(ref _lastReadiness, now);
        if (before != -1 && before != now)
        {
            _readinessChanges.Inc();
        }
    }

    public void Dispose() => _meterAdapter.Dispose();
}
