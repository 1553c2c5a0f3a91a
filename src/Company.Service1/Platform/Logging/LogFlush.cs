using Serilog.Core;

namespace Company.Service1.Platform.Logging;

/// <summary>
/// Flushes every log sink once, when the host is disposed or the process exits, and waits for that only until a
/// deadline. A log backend that hangs (accepts connections, never answers) or refuses them would otherwise hold the
/// exit for as long as its sink keeps retrying: minutes for Elasticsearch (five 30 s requests plus backoff). What is
/// not shipped by the deadline is given up. Stdout is the first sink, so it is flushed before any backend can stall.
/// </summary>
internal sealed class LogFlush(Logger logger) : IHostedLifecycleService, IDisposable
{
    /// <summary>
    /// After the service has served, counted from the moment the host has stopped (the drain is over). The tracer
    /// provider's last export, disposed before the logs, runs inside it and may take 5 s of it (OpenTelemetry's fixed
    /// grace period); the logs get the rest, at least 1 s, and a healthy cluster needs well under a second for the
    /// last batches. The chart leaves 10 s after the drain's delay + timeout: these 6 leave 4 to the runtime.
    /// </summary>
    public static readonly TimeSpan AfterServing = TimeSpan.FromSeconds(6);

    /// <summary>
    /// When the service never served (bad configuration, port in use, a command): the exit and its one line must come
    /// within 2 s of the start, and the few lines at stake were written to stdout as well.
    /// </summary>
    public static readonly TimeSpan BeforeServing = TimeSpan.FromMilliseconds(500);

    private readonly Lock _gate = new();
    private Task? _flush;
    private long? _deadline;
    private volatile bool _serving;

    /// <summary>
    /// Starts the flush on the first call and waits for it until the deadline at most: the one the host set when it
    /// stopped after serving, else <paramref name="budget"/> from the first call. Returns whether everything was flushed.
    /// </summary>
    public bool Complete(TimeSpan budget)
    {
        long deadline;
        lock (_gate)
        {
            deadline = _deadline ??= Environment.TickCount64 + (long)budget.TotalMilliseconds;
            _flush ??= Task.Run(logger.Dispose);
        }

        return _flush.Wait(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)));
    }

    /// <summary>The container disposes this after everything that logs (see <see cref="LoggingExtensions"/>).</summary>
    public void Dispose() => Complete(BeforeServing);

    /// <summary>Called once every hosted service has started and the server listens.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _serving = true;
        return Task.CompletedTask;
    }

    /// <summary>Called once the drain is over: from here on, every flush on the way out shares one deadline.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_serving)
        {
            lock (_gate)
            {
                _deadline ??= Environment.TickCount64 + (long)AfterServing.TotalMilliseconds;
            }
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
