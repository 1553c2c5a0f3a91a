namespace Company.Service1.Platform.Shutdown;

/// <summary>Whether the instance is leaving, and how many requests it is still serving.</summary>
public sealed class DrainState
{
    private int _draining;
    private long _inFlight;
    private long _abortedWhileDraining;

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Returns true only for the first call, so the drain sequence runs once.</summary>
    public bool BeginDrain() => Interlocked.Exchange(ref _draining, 1) == 0;

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    /// <summary>Requests that ended without a complete response after the drain began (cut, or the client gave up).</summary>
    public long AbortedWhileDraining => Interlocked.Read(ref _abortedWhileDraining);

    public void RequestFinished(bool aborted)
    {
        if (aborted && IsDraining)
        {
            Interlocked.Increment(ref _abortedWhileDraining);
        }

        Interlocked.Decrement(ref _inFlight);
    }
}
