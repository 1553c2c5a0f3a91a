using Serilog.Core;
using Serilog.Events;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Puts a bound on the events waiting in front of a batched sink, in events and in bytes (<see cref="LogEventSize"/>),
/// and counts what does not fit. Serilog's batching wrapper can bound its queue in events too, but drops the overflow
/// without telling anyone, and a client decides how big an event is (its path, its method); this keeps the same
/// never-block behaviour and makes every dropped event show up in <c>service_log_events_dropped_total</c>.
/// It sits on both sides of the wrapper: <see cref="Emit"/> in front of it, <see cref="EmitBatchAsync"/> behind it.
/// </summary>
internal sealed class BoundedBatchQueue(IBatchedLogEventSink target, int limit, long limitBytes, Action onDropped)
    : ILogEventSink, IBatchedLogEventSink, IDisposable, IAsyncDisposable
{
    private long _pending;
    private long _pendingBytes;
    private int _disposing;

    /// <summary>Serilog's batching wrapper around this queue, set once it is built.</summary>
    public ILogEventSink? Batching { get; set; }

    /// <summary>Bytes held now: queued, and in the batch the target is sending (or retrying).</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    public void Emit(LogEvent logEvent)
    {
        var size = LogEventSize.Of(logEvent);
        if (Interlocked.Increment(ref _pending) > limit)
        {
            Interlocked.Decrement(ref _pending);
            onDropped();
            return;
        }

        if (Interlocked.Add(ref _pendingBytes, size) > limitBytes)
        {
            Interlocked.Add(ref _pendingBytes, -size);
            Interlocked.Decrement(ref _pending);
            onDropped();
            return;
        }

        Batching!.Emit(logEvent);
    }

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // The batch has left the queue: its room in events is free again whatever the target makes of it. Its bytes
        // stay charged until the target lets go of it, which with a stalled endpoint is after every retry.
        Interlocked.Add(ref _pending, -batch.Count);
        try
        {
            await target.EmitBatchAsync(batch);
        }
        finally
        {
            long size = 0;
            foreach (var logEvent in batch)
            {
                size += LogEventSize.Of(logEvent);
            }

            Interlocked.Add(ref _pendingBytes, -size);
        }
    }

    public Task OnEmptyBatchAsync() => target.OnEmptyBatchAsync();

    /// <summary>
    /// Flushes what is queued and disposes the target. The wrapper disposes its target (this queue) after its
    /// final flush, so the first call disposes the wrapper and that nested call disposes the target.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposing, 1) == 0 && Batching is IDisposable batching)
        {
            batching.Dispose();
            return;
        }

        (target as IDisposable)?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposing, 1) == 0 && Batching is IAsyncDisposable batching)
        {
            await batching.DisposeAsync();
            return;
        }

        (target as IDisposable)?.Dispose();
    }
}
