using Serilog.Core;
using Serilog.Events;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Puts a bound on the events waiting in front of a batched sink and counts what does not fit. Serilog's batching
/// wrapper can bound its queue too, but drops the overflow without telling anyone; this keeps the same
/// never-block behaviour and makes every dropped event show up in <c>service_log_events_dropped_total</c>.
/// It sits on both sides of the wrapper: <see cref="Emit"/> in front of it, <see cref="EmitBatchAsync"/> behind it.
/// </summary>
internal sealed class BoundedBatchQueue(IBatchedLogEventSink target, int limit, Action onDropped) : ILogEventSink, IBatchedLogEventSink, IDisposable, IAsyncDisposable
{
    private long _pending;
    private int _disposing;

    /// <summary>Serilog's batching wrapper around this queue, set once it is built.</summary>
    public ILogEventSink? Batching { get; set; }

    public void Emit(LogEvent logEvent)
    {
        if (Interlocked.Increment(ref _pending) > limit)
        {
            Interlocked.Decrement(ref _pending);
            onDropped();
            return;
        }

        Batching!.Emit(logEvent);
    }

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // The batch has left the queue: its room is free again whatever the target makes of it.
        Interlocked.Add(ref _pending, -batch.Count);
        return target.EmitBatchAsync(batch);
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
