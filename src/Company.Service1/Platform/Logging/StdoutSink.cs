using System.Buffers;
using Serilog.Core;
using Serilog.Events;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Writes ECS lines to stdout a batch at a time, behind Serilog's batching wrapper and its bounded queue
/// (<see cref="LoggingExtensions.Batched"/>: events beyond its bounds in events and bytes are dropped and counted,
/// never waited for). Serilog.Sinks.Console behind Serilog.Sinks.Async writes one line per system call: measured on
/// this machine (2 cores, stdout a pipe), 7.8-9.9 µs of CPU and 3.9 KB allocated per request-completion line, against
/// 3.1-4.5 µs and 0.5 KB here.
/// </summary>
internal sealed class StdoutSink(EcsJsonFormatter formatter, Stream output, LogShippingStats stats) : IBatchedLogEventSink, IDisposable
{
    // One write holds at most this much (plus one line), so the reused buffer stays small even when the batch is
    // a thousand of the largest lines.
    private const int WriteBytes = 1024 * 1024;

    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var lines = 0;
        foreach (var logEvent in batch)
        {
            formatter.FormatLine(logEvent, _buffer);
            lines++;
            if (_buffer.WrittenCount >= WriteBytes)
            {
                Write(ref lines);
            }
        }

        if (lines > 0)
        {
            Write(ref lines);
        }

        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => output.Dispose();

    private void Write(ref int lines)
    {
        try
        {
            output.Write(_buffer.WrittenSpan);
            output.Flush();
        }
        catch (IOException)
        {
            // Nobody reads stdout any more (a closed pipe): nothing to retry, only to count.
            stats.AddDropped(LoggingExtensions.StdoutSinkName, lines);
        }

        _buffer.ResetWrittenCount();
        lines = 0;
    }
}
