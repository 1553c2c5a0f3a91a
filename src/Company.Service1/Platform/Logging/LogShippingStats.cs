using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.Async;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Counts log events each sink gave up on, exported as <c>service_log_events_dropped_total{sink}</c>. It is also the
/// failure listener of Serilog's batching wrapper, which reports events it discards (full queue, retries exhausted),
/// and the monitor of Serilog's async wrapper, which counts the events its full buffer turned away.
/// </summary>
public sealed class LogShippingStats
{
    private readonly ConcurrentDictionary<string, DropCount> _dropped = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, long>> Dropped =>
        _dropped.Select(entry => KeyValuePair.Create(entry.Key, entry.Value.Read()));

    public long DroppedBy(string sink) => _dropped.TryGetValue(sink, out var count) ? count.Read() : 0;

    public void AddDropped(string sink, long count)
    {
        var box = _dropped.GetOrAdd(sink, _ => new DropCount());
        Interlocked.Add(ref box.Value, count);
    }

    /// <summary>Makes sure a sink's series exists (at 0) before anything was dropped, so alerts see it.</summary>
    public void Track(string sink) => _dropped.GetOrAdd(sink, _ => new DropCount());

    /// <summary>A failure listener that counts what <paramref name="sink"/>'s batching wrapper drops for good.</summary>
    public ILoggingFailureListener ListenerFor(string sink)
    {
        Track(sink);
        return new DropCounter(this, sink);
    }

    /// <summary>A monitor for Serilog's async wrapper whose drop count is added to <paramref name="sink"/>'s.</summary>
    public IAsyncLogEventSinkMonitor MonitorFor(string sink) => _dropped.GetOrAdd(sink, _ => new DropCount());

    private sealed class DropCounter(LogShippingStats stats, string sink) : ILoggingFailureListener
    {
        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
        {
            // Temporary failures are retried by the batching wrapper; only a final give-up loses events.
            if (kind != LoggingFailureKind.Temporary)
            {
                stats.AddDropped(sink, events?.Count ?? 1);
            }
        }
    }
}

/// <summary>One sink's count, updated with <see cref="Interlocked"/>, plus what its async wrapper counted.</summary>
internal sealed class DropCount : IAsyncLogEventSinkMonitor
{
    public long Value;
    private IAsyncLogEventSinkInspector? _inspector;

    public long Read() => Interlocked.Read(ref Value) + (Volatile.Read(ref _inspector)?.DroppedMessagesCount ?? 0);

    public void StartMonitoring(IAsyncLogEventSinkInspector inspector) => Volatile.Write(ref _inspector, inspector);

    /// <summary>The wrapper is being disposed: its last count is kept.</summary>
    public void StopMonitoring(IAsyncLogEventSinkInspector inspector)
    {
        Interlocked.Add(ref Value, inspector.DroppedMessagesCount);
        Volatile.Write(ref _inspector, null);
    }
}
