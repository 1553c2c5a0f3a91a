using System.Buffers;
using Serilog.Core;
using Serilog.Events;

namespace Service.Logging;

/// <summary>
/// Writes ECS lines to stdout a batch at a time, from Serilog's background batching loop. A request only enqueues
/// its event; formatting and the write system call happen off the request path, and one write carries many lines,
/// which is what keeps logging cheap at thousands of requests per second (Console.Out flushes every line).
/// </summary>
public sealed class StdoutSink(EcsJsonFormatter formatter, Stream output, LogShippingStats stats) : IBatchedLogEventSink, IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _buffer.ResetWrittenCount();
        foreach (var logEvent in batch)
        {
            formatter.FormatLine(logEvent, _buffer);
        }

        try
        {
            await output.WriteAsync(_buffer.WrittenMemory);
            await output.FlushAsync();
        }
        catch (IOException)
        {
            // Nobody reads stdout any more (a closed pipe): nothing to retry, only to count.
            stats.AddDropped(LoggingExtensions.StdoutSinkName, batch.Count);
        }
    }

    public void Dispose() => output.Dispose();
}
