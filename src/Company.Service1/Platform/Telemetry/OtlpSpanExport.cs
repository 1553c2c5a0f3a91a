using System.Diagnostics;
using System.Runtime.CompilerServices;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace Company.Service1.Platform.Telemetry;

/// <summary>
/// The OTLP span export, with what it loses counted (<c>service_spans_dropped_total</c>): spans that found the batch
/// queue full while the collector was slow or away, and batches the collector did not take. Requests never wait for
/// either: a span is queued (or dropped) when it ends, and a background thread exports.
/// </summary>
/// <remarks>
/// Built here rather than with <c>AddOtlpExporter</c>, which hides its processor and exporter: the SDK counts queue
/// overflow only internally (it logs the total at shutdown) and failed batches not at all. Options come from the
/// environment as the SDK reads them (the shared <c>OTEL_EXPORTER_OTLP_*</c>, <c>OTEL_BSP_*</c>), then the traces' own
/// variables (<see cref="OtlpSignal"/>).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The tracer provider owns and disposes the processor; this only reads its count.")]
public sealed class OtlpSpanExport
{
    private long _failed;
    private BatchActivityExportProcessor? _processor;

    /// <summary>Spans given up so far: queue overflow plus batches the collector did not take.</summary>
    public long Dropped => Interlocked.Read(ref _failed) + (_processor is { } processor ? Sdk<Activity>.QueueDropped(processor) : 0);

    internal BaseProcessor<Activity> CreateProcessor(OtlpSignal signal)
    {
        var options = new OtlpExporterOptions();
        signal.Configure(options);
        var batch = options.BatchExportProcessorOptions;
        _processor = new BatchActivityExportProcessor(new CountingExporter(options, this), batch.MaxQueueSize,
            batch.ScheduledDelayMilliseconds, batch.ExporterTimeoutMilliseconds, batch.MaxExportBatchSize);
        return _processor;
    }

    /// <summary>
    /// The SDK's own count of spans that did not fit the queue: internal, so read through an accessor that nothing
    /// checks at build time (the outage test fails if an SDK update renames it). AOT-safe, unlike reflection. Generic
    /// because the runtime wants the accessor's constraints to match <see cref="BatchExportProcessor{T}"/>'s.
    /// </summary>
    private static class Sdk<T>
        where T : class
    {
        [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_DroppedCount")]
        public static extern long QueueDropped(BatchExportProcessor<T> processor);
    }

    private sealed class CountingExporter(OtlpExporterOptions options, OtlpSpanExport export) : OtlpTraceExporter(options)
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            var result = base.Export(batch);
            if (result != ExportResult.Success)
            {
                Interlocked.Add(ref export._failed, batch.Count);
            }

            return result;
        }
    }
}
