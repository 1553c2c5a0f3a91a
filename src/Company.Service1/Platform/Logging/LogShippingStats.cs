using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Counts log events each sink gave up on, exported as <c>service_log_events_dropped_total{sink}</c>. It is also the
/// failure listener of Serilog's batching wrapper, which reports events it discards (full queue, retries exhausted).
/// </summary>
public sealed class LogShippingStats
{
    private readonly ConcurrentDictionary<string, DropCount> _dropped = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, long>> Dropped =>
        _dropped.Select(entry => KeyValuePair.Create(entry.Key, Interlocked.Read(ref entry.Value.Value)));

    public long DroppedBy(string sink) => _dropped.TryGetValue(sink, out var count) ? Interlocked.Read(ref count.Value) : 0;

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

/// <summary>One sink's count, updated with <see cref="Interlocked"/>.</summary>
internal sealed class DropCount
{
    public long Value;
}
