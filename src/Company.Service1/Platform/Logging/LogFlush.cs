using Serilog.Core;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Flushes every log sink once, when the host is disposed or the process exits, and waits for that only until a
/// deadline. A log backend that hangs (accepts connections, never answers) or refuses them would otherwise hold the
/// exit for as long as its sink keeps retrying: minutes for Elasticsearch (five 30 s requests plus backoff). What is
/// not shipped by the deadline is given up. Stdout is the first sink, so it is flushed before any backend can stall.
/// </summary>
public sealed class LogFlush(Logger logger) : IHostedLifecycleService, IDisposable
{
    /// <summary>
    /// After the service has served, i.e. after a drain. The chart's terminationGracePeriodSeconds leaves 10 s after
    /// the drain's delay + timeout; 5 s of it for the logs leaves the rest to the tracer provider's own bounded shutdown
    /// and to the runtime. A healthy cluster takes well under a second for the last batches.
    /// </summary>
    public static readonly TimeSpan AfterServing = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When the service never served (bad configuration, port in use, a command): the exit and its one line must come
    /// within 2 s of the start, and the few lines at stake were written to stdout as well.
    /// </summary>
    public static readonly TimeSpan BeforeServing = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private Task? _flush;
    private long _deadline;
    private volatile bool _serving;

    /// <summary>
    /// Starts the flush on the first call, which also fixes the deadline at <paramref name="budget"/> from now; every
    /// call waits for the flush until that deadline at most. Returns whether everything was flushed.
    /// </summary>
    public bool Complete(TimeSpan budget)
    {
        lock (_gate)
        {
            if (_flush is null)
            {
                _deadline = Environment.TickCount64 + (long)budget.TotalMilliseconds;
                _flush = Task.Run(logger.Dispose);
            }
        }

        return _flush.Wait(TimeSpan.FromMilliseconds(Math.Max(0, _deadline - Environment.TickCount64)));
    }

    /// <summary>The container disposes this after everything that logs (see <see cref="LoggingExtensions"/>).</summary>
    public void Dispose() => Complete(_serving ? AfterServing : BeforeServing);

    /// <summary>Called once every hosted service has started and the server listens.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _serving = true;
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
