using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Shutdown;

/// <summary>
/// The shutdown sequence on SIGTERM or Ctrl+C. The host calls StoppingAsync before any service stops, so:
/// 1. readiness turns 503 at once (liveness stays 200, a leaving pod must not be restarted);
/// 2. the server keeps serving for <see cref="DrainOptions.Delay"/> while endpoints and load balancers catch up;
/// 3. then Kestrel stops accepting and in-flight requests get <see cref="DrainOptions.Timeout"/> to finish
///    (HostOptions.ShutdownTimeout is delay + timeout, see DrainExtensions), after which they are cut;
/// 4. providers flush as the host is disposed, and Main returns 0.
/// </summary>
public sealed partial class GracefulDrainService(
    DrainState state, IOptions<DrainOptions> options, TimeProvider time, ILogger<GracefulDrainService> logger) : IHostedLifecycleService
{
    private long _stopStartedAt;
    private int _reported;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (!state.BeginDrain())
        {
            return;
        }

        var drain = options.Value;
        LogDraining(logger, drain.DelaySeconds, drain.TimeoutSeconds, state.InFlight);
        try
        {
            await Task.Delay(drain.Delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's own shutdown timeout fired first: stop now rather than overrun it.
        }

        _stopStartedAt = time.GetTimestamp();
        LogClosingListener(logger, state.InFlight);
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // A host can be stopped twice (an in-process host stops with its application and again when disposed): the
        // drain happened once, so it is reported once.
        if (Interlocked.Exchange(ref _reported, 1) == 1)
        {
            return;
        }

        var elapsed = _stopStartedAt == 0 ? TimeSpan.Zero : time.GetElapsedTime(_stopStartedAt);
        // Requests Kestrel aborted at the timeout unwind right after it returns; give them a moment to be counted.
        for (var i = 0; i < 50 && state.InFlight > 0; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, CancellationToken.None);
        }

        var cut = state.AbortedWhileDraining + state.InFlight;
        if (cut > 0)
        {
            LogCut(logger, options.Value.TimeoutSeconds, cut);
        }
        else
        {
            LogDrained(logger, elapsed.TotalMilliseconds);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Draining: readiness is now 503; serving for {DelaySeconds}s more, then in-flight requests get {TimeoutSeconds}s ({InFlight} in flight)")]
    private static partial void LogDraining(ILogger logger, int delaySeconds, int timeoutSeconds, long inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drain delay over: closing the listener ({InFlight} requests in flight)")]
    private static partial void LogClosingListener(ILogger logger, long inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: every in-flight request finished ({ElapsedMs:F0} ms after the listener closed)")]
    private static partial void LogDrained(ILogger logger, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain finished after the {TimeoutSeconds}s timeout or with client aborts: {Cut} in-flight requests were cut")]
    private static partial void LogCut(ILogger logger, int timeoutSeconds, long cut);
}
